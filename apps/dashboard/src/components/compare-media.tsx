'use client';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { isInput, keysByClip, splitKey, type MediaItem } from '../lib/media-model';
import { useTRPC } from '../lib/trpc-client';
import { MediaItemView } from './media-item-view';

/**
 * The same validation clip (or whole-set image, e.g. a confusion matrix) across the selected runs, side by
 * side: each run's final (best epoch) media of it, with the clip's input audio for A/B listening.
 */
export function CompareMedia({
  runs,
  colour,
}: {
  runs: readonly { id: string; name: string | null }[];
  colour: (i: number) => string;
}) {
  const trpc = useTRPC();
  const query = useQuery(trpc.runs.media.queryOptions({ runIds: runs.map((r) => r.id) }));
  const [choice, setChoice] = useState<string | undefined>();
  const items: MediaItem[] = query.data ?? [];
  if (items.length === 0)
    return <p className="muted">{query.data ? 'no media logged by these runs' : 'loading…'}</p>;
  const groups = [...keysByClip(items).keys()];
  const label = (g: string | null) => (g === null ? 'whole validation set' : `clip ${g}`);
  const group = choice === undefined ? groups[0] : (groups.find((g) => (g ?? '') === choice) ?? groups[0]);
  return (
    <div data-testid="compare-media">
      <div className="row panel">
        <label>
          show{' '}
          <select value={group ?? ''} onChange={(e) => setChoice(e.target.value)} aria-label="media clip">
            {groups.map((g) => (
              <option key={g ?? ''} value={g ?? ''}>
                {label(g)}
              </option>
            ))}
          </select>
        </label>
        <span className="muted">each run's final model (best epoch); inputs as logged</span>
      </div>
      <div className="media-compare">
        {runs.map((r, i) => {
          const mine = items.filter((m) => m.runId === r.id && splitKey(m.key).clip === group);
          const keys = [...new Set(mine.map((m) => m.key))];
          return (
            <div key={r.id} className="panel" data-run-id={r.id}>
              <div className="title">
                <span className="swatch" style={{ background: colour(i) }} />
                {r.name ?? r.id}
              </div>
              {keys.length === 0 && <p className="muted">nothing for this clip</p>}
              {keys
                .sort((a, b) => Number(isInput(b)) - Number(isInput(a)) || a.localeCompare(b))
                .map((k) => {
                  const last = mine.filter((m) => m.key === k).sort((a, b) => b.step - a.step)[0]!;
                  return <MediaItemView key={k} item={last} />;
                })}
            </div>
          );
        })}
      </div>
    </div>
  );
}
