'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { formatTime } from '../lib/format';
import { useTRPC } from '../lib/trpc-client';
import { GateReportView } from './gate-report-view';
import { PromotePanel } from './promote-panel';
import { RollbackPanel } from './rollback-panel';

/** The registry: models, their versions and aliases, each promotion's gate report, the audit history. */
export function ModelsView({ model, runId }: { model?: string; runId?: string }) {
  const trpc = useTRPC();
  const list = useQuery(trpc.models.list.queryOptions());
  const selected = model ?? list.data?.[0]?.name;
  if (list.error) return <div className="error-box">{list.error.message}</div>;
  return (
    <>
      <h2>Promote a run</h2>
      <PromotePanel initialRunId={runId} />
      <h2>Registered models</h2>
      {list.data?.length === 0 && (
        <p className="muted">
          No model is registered yet. Promote a run above or import old registry files with{' '}
          <code>npx kelly models import</code>.
        </p>
      )}
      {(list.data?.length ?? 0) > 0 && (
        <table className="data" data-testid="models-table">
          <thead>
            <tr>
              <th>model</th>
              <th>versions</th>
              <th>legacy</th>
              <th>latest</th>
              <th>candidate</th>
              <th>staging</th>
              <th>production</th>
            </tr>
          </thead>
          <tbody>
            {list.data?.map((m) => (
              <tr key={m.name} data-model={m.name} className={m.name === selected ? 'selected' : undefined}>
                <td>
                  <Link href={`/models?model=${encodeURIComponent(m.name)}`}>{m.name}</Link>
                </td>
                <td className="num">{m.versions}</td>
                <td className="num">{m.legacyVersions}</td>
                <td className="num">{m.latestVersion === null ? '—' : `v${m.latestVersion}`}</td>
                {(['candidate', 'staging', 'production'] as const).map((a) => (
                  <td key={a}>{m.aliases[a] === undefined ? '—' : `v${m.aliases[a]}`}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {selected && <ModelDetail name={selected} />}
    </>
  );
}

function ModelDetail({ name }: { name: string }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.models.get.queryOptions({ name }));
  const [open, setOpen] = useState<number | undefined>();
  if (q.error) return <div className="error-box">{q.error.message}</div>;
  const m = q.data;
  if (!m) return <p className="muted">loading…</p>;
  return (
    <div data-testid="model-detail" data-model={m.name}>
      <h2>{m.name}: versions</h2>
      <table className="data" data-testid="versions">
        <thead>
          <tr>
            <th>version</th>
            <th>aliases</th>
            <th>run</th>
            <th>source</th>
            <th>status</th>
            <th>gates</th>
            <th>sha256</th>
            <th>created</th>
            <th>by</th>
          </tr>
        </thead>
        <tbody>
          {m.versions.length === 0 && (
            <tr>
              <td colSpan={9} className="muted">
                no version yet: promote a run with an RTNeural export above
              </td>
            </tr>
          )}
          {m.versions.map((v) => (
            <tr key={v.version} data-version={v.version}>
              <td>v{v.version}</td>
              <td>
                {v.aliases.map((a) => (
                  <span
                    key={a}
                    className={`chip ${a === 'production' ? 'FINISHED' : 'RUNNING'}`}
                    style={{ marginRight: 4 }}
                  >
                    {a}
                  </span>
                ))}
              </td>
              <td>{v.runId ? <Link href={`/runs/${encodeURIComponent(v.runId)}`}>{v.runId}</Link> : '—'}</td>
              <td>{v.legacy ? 'legacy' : v.source}</td>
              <td>{v.status}</td>
              <td>
                {v.gateReport ? (
                  <button onClick={() => setOpen(open === v.version ? undefined : v.version)}>
                    {v.gateReport.passed ? 'passed' : `failed: ${v.gateReport.failed.join(', ')}`}
                  </button>
                ) : (
                  <span className="muted">{v.legacy ? 'never gated (legacy)' : '—'}</span>
                )}
              </td>
              <td className="mono">{v.sha256 ? v.sha256.slice(0, 12) : '—'}</td>
              <td>{formatTime(v.createdAt)}</td>
              <td>{v.createdBy ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <RollbackPanel
        model={m.name}
        current={Object.fromEntries(m.versions.flatMap((v) => v.aliases.map((a) => [a, v.version])))}
        history={m.history}
      />
      {open !== undefined && m.versions.find((v) => v.version === open)?.gateReport && (
        <div className="panel">
          <GateReportView report={m.versions.find((v) => v.version === open)!.gateReport!} />
        </div>
      )}
      <h2>History</h2>
      <table className="data" data-testid="history">
        <thead>
          <tr>
            <th>when</th>
            <th>action</th>
            <th>alias</th>
            <th>from → to</th>
            <th>by</th>
            <th>why</th>
            <th>gates</th>
          </tr>
        </thead>
        <tbody>
          {m.history.map((e) => (
            <tr key={e.id} data-action={e.action}>
              <td>{formatTime(e.at)}</td>
              <td>
                {e.action}
                {e.forced ? (
                  <span className="badge error" style={{ marginLeft: 4 }}>
                    forced
                  </span>
                ) : null}
              </td>
              <td>{e.alias ?? '—'}</td>
              <td>
                {e.fromVersion === null ? '—' : `v${e.fromVersion}`} →{' '}
                {e.toVersion === null ? '—' : `v${e.toVersion}`}
              </td>
              <td>{e.by ?? '—'}</td>
              <td style={{ whiteSpace: 'normal' }}>
                {[e.reason, e.note].filter(Boolean).join(' · ') || '—'}
              </td>
              <td>
                {e.gateReport
                  ? e.gateReport.passed
                    ? 'passed'
                    : `failed: ${e.gateReport.failed.join(', ')}`
                  : '—'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
