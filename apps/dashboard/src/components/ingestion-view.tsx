'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { formatTime } from '../lib/format';
import { useTRPC } from '../lib/trpc-client';

const OUTCOMES = [
  'imported',
  'duplicate',
  'conflict',
  'updated',
  'unparseable',
  'ignored',
  'missing',
] as const;
type Outcome = (typeof OUTCOMES)[number];
const OUTCOME_STYLE: Record<Outcome, string> = {
  imported: 'ok',
  updated: 'ok',
  duplicate: 'warning',
  conflict: 'error',
  ignored: 'warning',
  unparseable: 'error',
  missing: 'error',
};
const STATE_CHIP = { running: 'FINISHED', stale: 'CRASHED', stopped: 'KILLED' } as const;

/** The legacy files the watcher has seen, each with its outcome and reason; the watchers and their last scan. */
export function IngestionView() {
  const trpc = useTRPC();
  const [outcome, setOutcome] = useState<Outcome | undefined>();
  const [cursors, setCursors] = useState<(number | undefined)[]>([undefined]);
  const [open, setOpen] = useState<number | undefined>();
  const watchers = useQuery({ ...trpc.ingestion.watchers.queryOptions(), refetchInterval: 5_000 });
  const files = useQuery({
    ...trpc.ingestion.files.queryOptions({ outcome, limit: 200, cursor: cursors[cursors.length - 1] }),
    refetchInterval: 5_000,
    placeholderData: (prev) => prev,
  });
  const raw = useQuery({
    ...trpc.ingestion.file.queryOptions({ id: open ?? -1 }),
    enabled: open !== undefined,
  });
  const error = watchers.error ?? files.error;
  if (error) return <div className="error-box">{error.message}</div>;
  const running = watchers.data?.filter((w) => w.state === 'running') ?? [];
  const lastScan = Math.max(0, ...(watchers.data ?? []).map((w) => w.lastScanAt ?? 0));
  return (
    <>
      <div className="panel" data-testid="watchers">
        <p style={{ marginTop: 0 }}>
          <strong>
            {running.length
              ? `watcher running (${running.map((w) => w.dir).join(', ')})`
              : 'no watcher running'}
          </strong>
          {' · '}last scan {lastScan ? formatTime(lastScan) : 'never'}
          {running.length === 0 && (
            <>
              {' '}
              · start one with <code>npx kelly watch &lt;dir&gt;</code> or import once with{' '}
              <code>npx kelly ingest &lt;dir&gt;</code>
            </>
          )}
        </p>
        {(watchers.data?.length ?? 0) > 0 && (
          <table className="data">
            <thead>
              <tr>
                <th>state</th>
                <th>folder</th>
                <th>pid / host</th>
                <th>started</th>
                <th>last heartbeat</th>
                <th>last scan</th>
                <th>stopped</th>
              </tr>
            </thead>
            <tbody>
              {watchers.data?.slice(0, 10).map((w) => (
                <tr key={w.id}>
                  <td>
                    <span className={`chip ${STATE_CHIP[w.state]}`}>{w.state}</span>
                  </td>
                  <td className="mono">{w.dir}</td>
                  <td>
                    {w.pid ?? '—'} / {w.host ?? '—'}
                  </td>
                  <td>{formatTime(w.startedAt)}</td>
                  <td>{formatTime(w.heartbeatAt)}</td>
                  <td>{formatTime(w.lastScanAt)}</td>
                  <td>{formatTime(w.stoppedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <div className="panel row">
        <button
          className={outcome === undefined ? 'primary' : undefined}
          onClick={() => (setOutcome(undefined), setCursors([undefined]))}
        >
          all
        </button>
        {OUTCOMES.map((o) => (
          <button
            key={o}
            className={outcome === o ? 'primary' : undefined}
            onClick={() => (setOutcome(o), setCursors([undefined]))}
          >
            {o} {files.data?.totals[o] ?? 0}
          </button>
        ))}
      </div>
      <table className="data" data-testid="ingest-files">
        <thead>
          <tr>
            <th>file</th>
            <th>outcome</th>
            <th>reason</th>
            <th>run</th>
            <th>format</th>
            <th>last seen</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {files.data?.items.map((f) => (
            <tr key={f.id} data-outcome={f.outcome}>
              <td className="mono" title={f.path} data-host={f.host ?? undefined}>
                {/* sent by a remote watcher: the machine it came from (the title has host:/abs/path) */}
                {f.host && <span className="muted">{f.host}: </span>}
                {f.relPath}
              </td>
              <td>
                <span className={`badge ${OUTCOME_STYLE[f.outcome]}`}>{f.outcome}</span>
              </td>
              <td style={{ whiteSpace: 'normal' }}>
                {f.reason ?? ''}
                {f.byteOffset !== null ? ` (byte ${f.byteOffset})` : ''}
                {f.duplicateOf && !(f.reason ?? '').includes(f.duplicateOf)
                  ? ` duplicate of ${f.duplicateOf}`
                  : ''}
                {f.versions ? ` · ${f.versions} earlier version(s)` : ''}
              </td>
              <td>{f.runId ? <Link href={`/runs/${encodeURIComponent(f.runId)}`}>{f.runId}</Link> : '—'}</td>
              <td>{f.format ?? '—'}</td>
              <td>{formatTime(f.lastSeenAt)}</td>
              <td>
                <button onClick={() => setOpen(open === f.id ? undefined : f.id)}>
                  {open === f.id ? 'hide' : 'raw'}
                </button>
              </td>
            </tr>
          ))}
          {files.data?.items.length === 0 && (
            <tr>
              <td colSpan={7} className="muted">
                no legacy files recorded
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <div className="row" style={{ marginTop: 8 }}>
        <button disabled={cursors.length < 2} onClick={() => setCursors((c) => c.slice(0, -1))}>
          ← newer
        </button>
        <button
          disabled={files.data?.nextCursor == null}
          onClick={() => setCursors((c) => [...c, files.data?.nextCursor ?? undefined])}
        >
          older →
        </button>
      </div>
      {open !== undefined && raw.data && (
        <div className="panel" data-testid="ingest-raw">
          <h2 style={{ marginTop: 0 }}>raw text</h2>
          <pre className="mono" style={{ whiteSpace: 'pre-wrap' }}>
            {raw.data.rawText ?? '(not stored)'}
          </pre>
          {raw.data.versions.length > 0 && (
            <p className="muted">{raw.data.versions.length} earlier version(s) kept</p>
          )}
        </div>
      )}
    </>
  );
}
