'use client';
import { useState } from 'react';
import { formatValue } from '../lib/format';

export interface ConfigRow {
  /** Dotted config key, e.g. `optimizer.lr`. */
  key: string;
  /** One value per run, in run order; undefined where the run has no such key. */
  values: unknown[];
  /** True when every run has the key with the same value. */
  same: boolean;
  /** A setting of the shared legacy/live vocabulary: what it is, and each run's own key (in run order). */
  label?: string;
  rawKeys?: (string | undefined)[];
}

export function showConfigValue(v: unknown): string {
  if (v === undefined) return '(absent)';
  if (typeof v === 'number') return formatValue(v, 8);
  return JSON.stringify(v);
}

/** The config keys of the compared runs: only the ones that differ by default, all of them on toggle. */
export function CompareConfigTable({
  runs,
  colour,
  diff,
}: {
  runs: readonly { id: string; name: string | null }[];
  colour: (i: number) => string;
  diff: readonly ConfigRow[];
}) {
  const [all, setAll] = useState(false);
  const differing = diff.filter((r) => !r.same);
  const rows = all ? diff : differing;
  return (
    <div className="panel">
      <label className="row" style={{ marginBottom: 6 }}>
        <input
          type="checkbox"
          checked={all}
          onChange={(e) => setAll(e.target.checked)}
          data-testid="config-show-all"
        />
        show all {diff.length} keys ({differing.length} differ)
      </label>
      <table className="data" data-testid="config-diff" data-mode={all ? 'all' : 'differing'}>
        <thead>
          <tr>
            <th>key</th>
            {runs.map((r, i) => (
              <th key={r.id}>
                <span style={{ color: colour(i) }}>■</span> {r.name ?? r.id}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} data-key={row.key} data-same={row.same ? 'true' : 'false'}>
              <td className="mono">
                {row.key}
                {row.label && <span className="muted"> ({row.label})</span>}
              </td>
              {row.values.map((v, i) => (
                <td key={i} className="mono" style={row.same ? undefined : { background: '#fff7ed' }}>
                  {showConfigValue(v)}
                  {row.rawKeys?.[i] && row.rawKeys[i] !== row.key && (
                    <span className="muted" data-testid="raw-key">
                      {' '}
                      [{row.rawKeys[i]}]
                    </span>
                  )}
                </td>
              ))}
            </tr>
          ))}
          {rows.length === 0 && (
            <tr>
              <td colSpan={runs.length + 1} className="muted">
                the configs are identical
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
