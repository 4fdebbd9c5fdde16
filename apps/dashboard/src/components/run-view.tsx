'use client';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useMemo, useState } from 'react';
import { RUN_COLOURS } from '../lib/chart-data';
import { formatDuration, formatTime } from '../lib/format';
import { flaggedStepsOf, toChartSeries } from '../lib/series';
import { useTRPC } from '../lib/trpc-client';
import { ChartControls, DEFAULT_CHART_SETTINGS } from './chart-controls';
import { ConfigTree } from './config-tree';
import { EvidenceView } from './evidence-view';
import { MetricChart } from './metric-chart';
import { RunMetaEditor } from './run-meta-editor';
import { RunSummary } from './run-summary';
import { AnomalyBadges, StatusChip } from './status-chip';

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
  const charts = useMemo(() => {
    if (!run || !seriesQuery.data) return [];
    return seriesQuery.data.map((s) => ({
      key: s.key,
      total: s.total,
      shown: s.points.length,
      series: [
        toChartSeries(
          s.key,
          RUN_COLOURS[0]!,
          s.points,
          flaggedStepsOf(run.anomalyDetails, s.key),
          settings,
          run.startedAt,
        ),
      ],
    }));
  }, [run, seriesQuery.data, settings]);

  if (runQuery.error) return <div className="error-box">{runQuery.error.message}</div>;
  if (!run) return <p className="muted">loading…</p>;
  return (
    <div data-testid="run-page" data-run-id={run.id}>
      <h1>
        {run.name ?? run.id} <StatusChip status={run.status} /> <AnomalyBadges rules={run.anomalies} />
      </h1>
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
        <>
          <h2>Anomalies</h2>
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
        </>
      )}
      <RunSummary run={run} />
      <h2>Metrics</h2>
      <ChartControls value={settings} onChange={setSettings} />
      {seriesQuery.data && charts.length === 0 && <p className="muted">no metrics logged</p>}
      <div className="grid2" data-testid="charts">
        {charts.map((c) => (
          <MetricChart
            key={c.key}
            title={c.key}
            xLabel={settings.xAxis}
            series={c.series}
            logScale={settings.logScale}
            note={
              c.shown < c.total
                ? `${c.shown} of ${c.total} points (downsampled on the server, flagged points kept)`
                : undefined
            }
          />
        ))}
      </div>
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
            {run.artifacts.map((a) => (
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
