import { formatValue } from '../lib/format';
import { primaryLossKey, primaryTaskMetric } from '../lib/metric-groups';
import type { RouterOutputs } from '../lib/router-types';
import { formatSi, unitOf } from '../lib/units';
import { AnomalyBadges, StatusChip } from './status-chip';

type RunDetail = RouterOutputs['runs']['get'];

/** Higher is better for scores; lower for errors and losses. */
const lowerIsBetter = (metric: string) => /mae|mse|rmse|err|loss/.test(metric);

/** One line of evidence, e.g. "value NaN at step 57". */
function evidenceLine(e: Record<string, unknown>): string {
  return Object.entries(e)
    .filter(([, v]) => typeof v === 'number' || typeof v === 'string')
    .slice(0, 3)
    .map(([k, v]) => `${k} ${typeof v === 'number' ? formatValue(v) : String(v)}`)
    .join(', ');
}

function Card({
  label,
  children,
  tone,
  testId,
}: {
  label: string;
  children: React.ReactNode;
  tone?: 'ok' | 'bad' | 'warn';
  testId: string;
}) {
  return (
    <div className={`headline-card ${tone ?? ''}`} data-testid={testId}>
      <div className="headline-label">{label}</div>
      <div className="headline-value">{children}</div>
    </div>
  );
}

/**
 * The answers first: status, anomalies with evidence, best epoch, final task metric against its best
 * trivial baseline, and the RTNeural verdict.
 */
export function RunHeadline({ run }: { run: RunDetail }) {
  const last = new Map(run.metrics.map((m) => [m.key, m.last]));
  const keys = run.metrics.map((m) => m.key);
  const lossKey = primaryLossKey(keys);
  const loss = run.metrics.find((m) => m.key === lossKey);
  const bestEpoch = last.get('best_epoch');
  const task = primaryTaskMetric(run.experiment, keys);
  const final = task === null ? undefined : (last.get(`final_val_${task}`) ?? last.get(`val_${task}`));
  const baselines = task === null ? [] : run.metrics.filter((m) => m.key.startsWith(`baseline_${task}`));
  const better = (a: number, b: number) => (task && lowerIsBetter(task) ? a < b : a > b);
  const bestBaseline = baselines.reduce<(typeof baselines)[number] | undefined>(
    (acc, m) => (acc === undefined || better(m.last, acc.last) ? m : acc),
    undefined,
  );
  const beats = last.get('beats_baseline');
  const rt = (run.system as { rtneural?: Record<string, unknown> } | null)?.rtneural;
  const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
  return (
    <div className="headline" data-testid="headline">
      <Card label="status" testId="headline-status">
        <StatusChip status={run.status} />
      </Card>
      <Card
        label="anomalies"
        tone={
          run.anomalyDetails.some((a) => a.severity === 'error')
            ? 'bad'
            : run.anomalyDetails.length
              ? 'warn'
              : 'ok'
        }
        testId="headline-anomalies"
      >
        {run.anomalyDetails.length === 0 ? (
          'none'
        ) : (
          <ul className="plain">
            {run.anomalyDetails.slice(0, 3).map((a) => (
              <li key={a.rule}>
                <AnomalyBadges rules={[a.rule]} />{' '}
                <span className="muted">
                  {a.firstStep !== null ? `step ${a.firstStep}: ` : ''}
                  {evidenceLine(a.evidence)}
                </span>
              </li>
            ))}
          </ul>
        )}
      </Card>
      <Card label="best epoch" testId="headline-best">
        {bestEpoch === undefined ? '—' : <strong>{formatValue(bestEpoch)}</strong>}
        {last.has('final_val_loss') ? (
          <span className="muted"> val_loss {formatValue(last.get('final_val_loss'))}</span>
        ) : (
          loss &&
          loss.min !== null && (
            <span className="muted">
              {' '}
              lowest {lossKey} {formatValue(loss.min)}
            </span>
          )
        )}
      </Card>
      <Card
        label={task ? `final ${task} vs baseline` : 'task metric'}
        tone={beats === undefined ? undefined : beats === 1 ? 'ok' : 'bad'}
        testId="headline-task"
      >
        {final === undefined ? (
          '—'
        ) : (
          <>
            <strong>{formatSi(final, unitOf(task ?? ''), 4)}</strong>
            {bestBaseline && (
              <span className="muted">
                {' '}
                vs {formatSi(bestBaseline.last, unitOf(task ?? ''), 4)} (
                {bestBaseline.key.replace(`baseline_${task}_`, '').replace(/_/g, ' ')})
              </span>
            )}
            {beats !== undefined && <span>{beats === 1 ? ' ✓ beats it' : ' ✗ does not beat it'}</span>}
          </>
        )}
      </Card>
      <Card
        label="RTNeural"
        tone={rt ? (rt.passed === true ? 'ok' : 'bad') : undefined}
        testId="headline-rtneural"
      >
        {!rt ? (
          <span className="muted">not exported</span>
        ) : (
          <>
            <strong>{rt.passed === true ? 'parity ✓' : 'parity ✗'}</strong>{' '}
            <span className="muted">
              max err {formatValue(num(rt.maxAbsErr))}
              {num(rt.perFrameMs) !== undefined && ` · ${formatSi(num(rt.perFrameMs)!, 'ms')}/frame`}
              {num(rt.ratioToHop) !== undefined && ` (${(num(rt.ratioToHop)! * 100).toFixed(1)} % of hop)`}
            </span>
          </>
        )}
      </Card>
    </div>
  );
}
