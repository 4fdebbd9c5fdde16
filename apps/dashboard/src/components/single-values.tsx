import { formatSi } from '../lib/units';
import { unitOf } from '../lib/units';

/** Values logged once (finals, baselines, verdicts): one row per key, one column per run. */
export function SingleValues({
  keys,
  runs,
}: {
  keys: readonly string[];
  runs: readonly { id: string; label: string; colour?: string; values: ReadonlyMap<string, number | null> }[];
}) {
  if (keys.length === 0) return null;
  return (
    <div className="scroll-x">
      <table className="data singles" data-testid="single-values">
        <thead>
          <tr>
            <th>value logged once</th>
            {runs.map((r) => (
              <th key={r.id} className="num">
                {r.colour && <span className="swatch" style={{ background: r.colour }} />}
                {runs.length > 1 ? r.label : 'value'}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {keys.map((k) => (
            <tr key={k} data-key={k}>
              <td className="mono">{k}</td>
              {runs.map((r) => {
                const v = r.values.get(k);
                return (
                  <td
                    key={r.id}
                    className={`num ${typeof v === 'number' && !Number.isFinite(v) ? 'nonfinite' : ''}`}
                  >
                    {v === null || v === undefined ? '—' : formatSi(v, unitOf(k), 4)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
