import type { RouterOutputs } from '../lib/router-types';
import { EvidenceView } from './evidence-view';
import { RtneuralFiguresView } from './rtneural-figures-view';
import { Num } from './status-chip';

type RunDetail = RouterOutputs['runs']['get'];

/** Per-metric last / best / step of best, and for legacy runs what the file says about itself. */
export function RunSummary({ run }: { run: RunDetail }) {
  if (run.metrics.length === 0 && !run.summary) return null;
  return (
    <>
      <h2>Summary</h2>
      {run.metrics.length > 0 && (
        <table className="data" data-testid="metric-summaries">
          <thead>
            <tr>
              <th>metric</th>
              <th>points</th>
              <th>last</th>
              <th>at step</th>
              <th>best (min)</th>
              <th>step of best</th>
              <th>non-finite points</th>
            </tr>
          </thead>
          <tbody>
            {run.metrics.map((m) => (
              <tr key={m.key}>
                <td className="mono">{m.key}</td>
                <td className="num">{m.count}</td>
                <td className="num">
                  <Num value={m.last} />
                </td>
                <td className="num">{m.lastStep}</td>
                <td className="num">
                  <Num value={m.min} />
                </td>
                <td className="num">{m.minStep ?? '—'}</td>
                <td className={`num ${m.nonFinite ? 'nonfinite' : ''}`}>{m.nonFinite}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {run.rtneural && <RtneuralFiguresView figures={run.rtneural} />}
      {run.summary && (
        <div className="panel" data-testid="legacy-summary">
          <div className="muted" style={{ marginBottom: 4 }}>
            as the {run.source === 'legacy' ? 'legacy file' : 'run'} reports it
          </div>
          <EvidenceView evidence={run.summary} />
        </div>
      )}
    </>
  );
}
