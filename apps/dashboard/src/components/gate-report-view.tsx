import type { RouterOutputs } from '../lib/router-types';
import { Num } from './status-chip';

type GateReport = RouterOutputs['models']['preview'];
const MARK = { pass: '✓', fail: '✗', skipped: '–' } as const;

/** Each promotion gate with its verdict and one-line evidence. */
export function GateReportView({ report }: { report: GateReport }) {
  return (
    <div data-testid="gate-report" data-passed={report.passed ? 'true' : 'false'}>
      <p style={{ margin: '4px 0' }}>
        <strong className={report.passed ? undefined : 'nonfinite'}>
          {report.passed ? 'all gates passed' : `failed: ${report.failed.join(', ')}`}
        </strong>{' '}
        <span className="muted">
          run {report.runId} → {report.model} {report.alias}, checked {report.checkedAt}
        </span>
      </p>
      <table className="data">
        <tbody>
          {report.gates.map((g) => (
            <tr key={g.gate} data-gate={g.gate} data-verdict={g.verdict}>
              <td className={g.verdict === 'fail' ? 'nonfinite' : undefined}>{MARK[g.verdict]}</td>
              <td className="mono">{g.gate}</td>
              <td>{g.verdict}</td>
              <td style={{ whiteSpace: 'normal' }}>{g.summary}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <NativeSideBySide evidence={report.gates.find((g) => g.gate === 'native-rtneural')?.evidence} />
    </div>
  );
}

const num = (o: unknown, k: string): number | null => {
  const v = typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[k] : undefined;
  return typeof v === 'number' ? v : null;
};

/** The native-rtneural gate's figures: real RTNeural beside the TypeScript reference. */
function NativeSideBySide({ evidence }: { evidence: Record<string, unknown> | undefined }) {
  const native = evidence?.native;
  const ts = evidence?.typescript;
  const timing =
    typeof native === 'object' && native !== null ? (native as { timing?: unknown }).timing : null;
  if (!timing && !ts) return null;
  const rows = [
    ['real RTNeural (C++)', num(native, 'maxAbsErr'), num(timing, 'medianMs'), num(timing, 'p99Ms')],
    ['TypeScript reference', num(ts, 'maxAbsErr'), num(ts, 'frameMs'), null],
  ] as const;
  return (
    <table className="data" data-testid="native-side-by-side">
      <thead>
        <tr>
          <th>native-rtneural</th>
          <th>max |err| vs tfjs</th>
          <th>median ms/frame</th>
          <th>p99 ms/frame</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([name, err, median, p99]) => (
          <tr key={name}>
            <td>{name}</td>
            <td className="num">{err === null ? '—' : <Num value={err} />}</td>
            <td className="num">{median === null ? '—' : <Num value={median} />}</td>
            <td className="num">{p99 === null ? '—' : <Num value={p99} />}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
