import type { RouterOutputs } from '../lib/router-types';

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
    </div>
  );
}
