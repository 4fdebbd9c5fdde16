'use client';
import { useState } from 'react';
import { itemAt, isInput, keysByClip, mediaSteps, type MediaItem } from '../lib/media-model';
import { MediaItemView } from './media-item-view';

/**
 * A run's media: per validation clip, the clip itself (A) next to what the model made of it (B) and the
 * images; a step slider (keyboard: arrows, Home/End) moves every prediction to the same step. Inputs are
 * shown as logged at step 0.
 */
export function MediaPanel({ items }: { items: MediaItem[] }) {
  const steps = mediaSteps(items);
  const [index, setIndex] = useState<number | null>(null);
  if (items.length === 0) return <p className="muted">no media logged</p>;
  const i = index ?? steps.length - 1; // the best epoch's model by default
  const step = steps[i] ?? 0;
  const at = items.find((m) => m.step === step && !isInput(m.key));
  const byClip = keysByClip(items);
  return (
    <div data-testid="media-panel">
      {steps.length > 0 && (
        <div className="row panel media-slider">
          <label htmlFor="media-step">prediction step</label>
          <button onClick={() => setIndex(Math.max(0, i - 1))} disabled={i === 0} aria-label="earlier step">
            ◀
          </button>
          <input
            id="media-step"
            type="range"
            min={0}
            max={Math.max(0, steps.length - 1)}
            step={1}
            value={i}
            onChange={(e) => setIndex(Number(e.target.value))}
            aria-valuetext={`step ${step}`}
            data-testid="media-step"
          />
          <button
            onClick={() => setIndex(Math.min(steps.length - 1, i + 1))}
            disabled={i === steps.length - 1}
            aria-label="later step"
          >
            ▶
          </button>
          <span className="mono" data-testid="media-step-label">
            step {step}
            {at?.epoch !== null && at?.epoch !== undefined ? ` · epoch ${at.epoch}` : ''}
            {i === steps.length - 1 ? ' (final model)' : ''}
          </span>
        </div>
      )}
      {[...byClip].map(([clip, keys]) => (
        <div key={clip ?? '-'} className="panel media-clip" data-clip={clip ?? ''}>
          <div className="title">{clip ? `validation clip ${clip}` : 'whole validation set'}</div>
          <div className="media-grid">
            {keys.map((k) => {
              const item = itemAt(items, k, isInput(k) ? 0 : step);
              return item ? <MediaItemView key={k} item={item} /> : null;
            })}
          </div>
        </div>
      ))}
    </div>
  );
}
