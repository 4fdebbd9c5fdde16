'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useTRPC } from '../lib/trpc-client';
import { EvidenceView } from './evidence-view';
import { AnomalyBadges, StatusChip } from './status-chip';

/** Every flagged run grouped by rule (errors first), with counts and links. */
export function AnomaliesView() {
  const trpc = useTRPC();
  const q = useQuery(trpc.anomalies.byRule.queryOptions());
  if (q.error) return <div className="error-box">{q.error.message}</div>;
  if (!q.data) return <p className="muted">loading…</p>;
  const groups = q.data.rules;
  if (groups.length === 0) return <p className="muted">no run is flagged</p>;
  return (
    <>
      <div className="panel row">
        {groups.map((g) => (
          <a key={g.rule} href={`#${g.rule}`}>
            <AnomalyBadges rules={[g.rule]} /> {g.count}
          </a>
        ))}
      </div>
      {groups.map((g) => (
        <section key={g.rule} id={g.rule} data-testid="anomaly-group" data-rule={g.rule}>
          <h2>
            <AnomalyBadges rules={[g.rule]} /> {g.count} run{g.count === 1 ? '' : 's'}{' '}
            <Link href={`/?anomaly=${encodeURIComponent(g.rule)}`} className="muted">
              (filter runs)
            </Link>
          </h2>
          <table className="data">
            <thead>
              <tr>
                <th>run</th>
                <th>experiment</th>
                <th>status</th>
                <th>first step</th>
                <th>evidence</th>
              </tr>
            </thead>
            <tbody>
              {g.runs.map((r) => (
                <tr key={r.runId}>
                  <td>
                    <Link href={`/runs/${encodeURIComponent(r.runId)}`}>{r.runId}</Link>
                  </td>
                  <td>{r.experiment}</td>
                  <td>
                    <StatusChip status={r.status} />
                  </td>
                  <td className="num">{r.firstStep ?? '—'}</td>
                  <td style={{ whiteSpace: 'normal' }}>
                    <EvidenceView evidence={r.evidence} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </>
  );
}
