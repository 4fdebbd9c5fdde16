'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useMemo, useState } from 'react';
import { RUN_COLOURS } from '../lib/chart-data';
import { formatDuration, formatTime } from '../lib/format';
import { groupMetrics, primaryLossKey } from '../lib/metric-groups';
import type { ChartRun } from '../lib/run-charts';
import { useTRPC } from '../lib/trpc-client';
import { ChartControls, DEFAULT_CHART_SETTINGS } from './chart-controls';
import { ConfigTree } from './config-tree';
import { EvidenceView } from './evidence-view';
import { MediaPanel } from './media-panel';
import { MetricGroupsView } from './metric-groups-view';
import { RunHeadline } from './run-headline';
import { SingleValues } from './single-values';
import { RunMetaEditor } from './run-meta-editor';
import { RunSummary } from './run-summary';
import { AnomalyBadges } from './status-chip';

/** One run: what it is, whether to trust it (anomalies, error), its curves, config and files. */
export function RunView({ id }: { id: string }) {
  const trpc = useTRPC();
  const [settings, setSettings] = useState(DEFAULT_CHART_SETTINGS);
  const runQuery = useQuery({
    ...trpc.runs.get.queryOptions({ id }),
    refetchInterval: (q) => (q.state.data?.status === 'RUNNING' ? 2_000 : false),
  });
  const run = runQuery.data;
  const seriesQuery = useQuery({
    ...trpc.runs.series.queryOptions({ runId: id, maxPoints: 1000 }),
    refetchInterval: run?.status === 'RUNNING' ? 2_000 : false,
  });
  const legacy = useQuery({
    ...trpc.runs.legacyFile.queryOptions({ id }),
    enabled: run?.source === 'legacy',
  });
  const media = useQuery({
    ...trpc.runs.media.queryOptions({ runIds: [id] }),
    refetchInterval: run?.status === 'RUNNING' ? 5_000 : false,
  });
  const counts = useMemo(() => new Map((run?.metrics ?? []).map((m) => [m.key, m.count])), [run]);
  const grouped = useMemo(() => groupMetrics(run?.experiment ?? '', counts), [run?.experiment, counts]);
  const chartRuns = useMemo<ChartRun[]>(
    () =>
      run && seriesQuery.data
        ? [
            {
              id: run.id,
              label: run.name ?? run.id,
              colour: RUN_COLOURS[0]!,
              startedAt: run.startedAt,
              series: seriesQuery.data,
              anomalies: run.anomalyDetails,
            },
          ]
        : [],
    [run, seriesQuery.data],
  );
  const totals = useMemo(
    () => new Map((seriesQuery.data ?? []).map((s) => [s.key, s.total])),
    [seriesQuery.data],
  );

  if (runQuery.error) return <div className="error-box">{runQuery.error.message}</div>;
  if (!run) return <p className="muted">loading…</p>;
  return (
    <div data-testid="run-page" data-run-id={run.id}>
      <h1>
        {run.name ?? run.id} <span className="muted mono h1-id">{run.id}</span>
      </h1>
      <RunHeadline run={run} />
      {(run.errorType ?? run.errorMessage) && (
        <div className="error-box" data-testid="run-error">
          <strong>{run.errorType ?? 'Error'}</strong>: {run.errorMessage}
          {run.errorStack && (
            <pre className="mono" style={{ margin: '8px 0 0' }}>
              {run.errorStack}
            </pre>
          )}
        </div>
      )}
      {run.anomalyDetails.length > 0 && (
        <details className="panel" open={run.anomalyDetails.some((a) => a.severity === 'error')}>
          <summary>anomalies with their evidence ({run.anomalyDetails.length})</summary>
          <table className="data" data-testid="run-anomalies">
            <thead>
              <tr>
                <th>rule</th>
                <th>severity</th>
                <th>first step</th>
                <th>evidence</th>
              </tr>
            </thead>
            <tbody>
              {run.anomalyDetails.map((a) => (
                <tr key={a.rule} data-rule={a.rule}>
                  <td>
                    <AnomalyBadges rules={[a.rule]} />
                  </td>
                  <td>{a.severity}</td>
                  <td className="num">{a.firstStep ?? '—'}</td>
                  <td style={{ whiteSpace: 'normal' }}>
                    <EvidenceView evidence={a.evidence} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
      <h2>Charts</h2>
      <ChartControls value={settings} onChange={setSettings} />
      {seriesQuery.data && grouped.all.length === 0 && (
        <p className="muted">no metric logged more than once</p>
      )}
      <MetricGroupsView
        grouped={grouped}
        runs={chartRuns}
        settings={settings}
        lossKey={primaryLossKey(grouped.all)}
        totals={totals}
      />
      {grouped.singles.length > 0 && (
        <>
          <h2>Values logged once</h2>
          <SingleValues
            keys={grouped.singles}
            runs={[
              {
                id: run.id,
                label: run.name ?? run.id,
                values: new Map(run.metrics.map((m) => [m.key, m.last])),
              },
            ]}
          />
        </>
      )}
      <h2>Media</h2>
      {media.data ? <MediaPanel items={media.data} /> : <p className="muted">loading…</p>}
      <h2>Run</h2>
      <div className="panel">
        <dl className="kv">
          <dt>run id</dt>
          <dd className="mono">{run.id}</dd>
          <dt>experiment</dt>
          <dd>{run.experiment}</dd>
          <dt>source</dt>
          <dd>
            {run.source}
            {run.sourceMissing ? ' (source file missing)' : ''}
          </dd>
          <dt>started</dt>
          <dd>{formatTime(run.startedAt)}</dd>
          <dt>ended</dt>
          <dd>{formatTime(run.endedAt)}</dd>
          <dt>duration</dt>
          <dd>{formatDuration(run.durationS)}</dd>
          <dt>git commit</dt>
          <dd className="mono">{run.gitCommit ?? '—'}</dd>
          <dt>backend</dt>
          <dd>{run.backend ?? '—'}</dd>
          <dt>hardware</dt>
          <dd>{run.hardware ?? '—'}</dd>
          <dt>registry</dt>
          <dd>
            <Link href={`/models?run=${encodeURIComponent(run.id)}`}>
              check the promotion gates for this run
            </Link>
          </dd>
          <dt>host</dt>
          <dd>{run.host ?? '—'}</dd>
        </dl>
      </div>
      <details className="panel">
        <summary>per-metric summary (points, last, best, non-finite)</summary>
        <RunSummary run={run} />
      </details>
      <h2>Tags and notes</h2>
      <RunMetaEditor
        key={`${run.tags.join(',')}|${run.notes ?? ''}`}
        runId={run.id}
        tags={run.tags}
        notes={run.notes}
      />
      <h2>Config</h2>
      <div className="panel">
        <ConfigTree config={run.config} />
      </div>
      <h2>System</h2>
      <div className="panel">
        <EvidenceView evidence={run.system ?? {}} />
      </div>
      <h2>Artifacts</h2>
      {run.artifacts.some((a) => a.kind === 'media') && (
        <p className="muted">
          {run.artifacts.filter((a) => a.kind === 'media').length} media files (shown under Media) not listed
        </p>
      )}
      {run.artifacts.length === 0 ? (
        <p className="muted">none</p>
      ) : (
        <table className="data" data-testid="artifacts">
          <thead>
            <tr>
              <th>kind</th>
              <th>name</th>
              <th>path</th>
              <th>bytes</th>
              <th>sha256</th>
            </tr>
          </thead>
          <tbody>
            {run.artifacts
              .filter((a) => a.kind !== 'media')
              .map((a) => (
                <tr key={a.id}>
                  <td>{a.kind}</td>
                  <td>{a.name ?? '—'}</td>
                  <td className="mono">
                    {run.source === 'live' ? (
                      <a
                        href={`/api/artifacts/${a.path.split('/').map(encodeURIComponent).join('/')}`}
                        download
                      >
                        {a.path}
                      </a>
                    ) : (
                      <span title="path as recorded by the legacy trainer (not stored here)">{a.path}</span>
                    )}
                  </td>
                  <td className="num">{a.bytes ?? '—'}</td>
                  <td className="mono">{a.sha256 ? a.sha256.slice(0, 16) : '—'}</td>
                </tr>
              ))}
          </tbody>
        </table>
      )}
      {legacy.data && (
        <>
          <h2>Legacy file</h2>
          <details className="panel" data-testid="legacy-raw">
            <summary className="mono">
              {legacy.data.path} ({legacy.data.outcome})
            </summary>
            <pre className="mono" style={{ whiteSpace: 'pre-wrap' }}>
              {legacy.data.rawText ?? '(raw text not stored)'}
            </pre>
          </details>
        </>
      )}
    </div>
  );
}
