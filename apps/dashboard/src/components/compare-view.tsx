'use client';
import { useQueries, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useMemo, useState } from 'react';
import { RUN_COLOURS } from '../lib/chart-data';
import { configRows } from '../lib/compare-model';
import { formatDuration } from '../lib/format';
import { flaggedStepsOf, toChartSeries } from '../lib/series';
import { useTRPC } from '../lib/trpc-client';
import { ChartControls, DEFAULT_CHART_SETTINGS } from './chart-controls';
import { CompareConfigTable } from './compare-config-table';
import { CompareScatter } from './compare-scatter';
import { MetricChart } from './metric-chart';
import { AnomalyBadges, Num, StatusChip } from './status-chip';

/** 2–10 runs side by side; the selection lives in the URL (`/compare?runs=a,b`). */
export function CompareView({ ids }: { ids: string[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [settings, setSettings] = useState(DEFAULT_CHART_SETTINGS);
  const [summaryKey, setSummaryKey] = useState<string | undefined>();
  const query = useQuery({
    ...trpc.compare.get.queryOptions({ ids, maxPoints: 1000 }),
    enabled: ids.length >= 2,
  });
  const data = query.data;
  const colour = (i: number) => RUN_COLOURS[i % RUN_COLOURS.length]!;
  // Each run's anomalies (one batched request), to ring its flagged points on the overlaid charts.
  const anomaliesByRun = useQueries({
    queries: (data?.runs ?? []).map((r) => trpc.runs.get.queryOptions({ id: r.id })),
    combine: (results) => results.map((q) => q.data?.anomalyDetails ?? []),
  });
  const metricKeys = useMemo(() => [...new Set(data?.series.map((s) => s.key) ?? [])].sort(), [data]);
  const rows = useMemo(
    () =>
      data
        ? configRows(
            data.config,
            data.runs.map((r) => r.id),
          )
        : [],
    [data],
  );
  const summaries = useMemo(
    () =>
      data?.runs.flatMap((r) =>
        r.metrics.map((m) => ({
          runId: r.id,
          key: m.key,
          last: m.last,
          min: m.min ?? NaN,
          stepOfMin: m.minStep,
        })),
      ) ?? [],
    [data],
  );
  const charts = useMemo(() => {
    if (!data) return [];
    return metricKeys.map((key) => ({
      key,
      series: data.runs.flatMap((r, i) => {
        const s = data.series.find((x) => x.runId === r.id && x.key === key);
        const flagged = flaggedStepsOf(anomaliesByRun[i] ?? [], key);
        return s ? [toChartSeries(r.name ?? r.id, colour(i), s.points, flagged, settings, r.startedAt)] : [];
      }),
    }));
  }, [data, anomaliesByRun, metricKeys, settings]);

  if (ids.length < 2) {
    return (
      <p className="muted">
        Pick 2 to 10 runs on the <Link href="/">Runs</Link> page and press Compare (the URL holds the
        selection).
      </p>
    );
  }
  if (query.error) return <div className="error-box">{query.error.message}</div>;
  if (!data) return <p className="muted">loading…</p>;
  const key = summaryKey ?? metricKeys.find((k) => k === 'loss') ?? metricKeys[0];
  const remove = (id: string) =>
    router.push(
      `/compare?runs=${ids
        .filter((x) => x !== id)
        .map(encodeURIComponent)
        .join(',')}`,
    );
  return (
    <div data-testid="compare-page">
      <div className="panel row">
        {data.runs.map((r, i) => (
          <span key={r.id} className="row" style={{ gap: 4 }}>
            <span
              style={{
                width: 12,
                height: 12,
                background: colour(i),
                display: 'inline-block',
                borderRadius: 2,
              }}
            />
            <Link href={`/runs/${encodeURIComponent(r.id)}`}>{r.name ?? r.id}</Link>
            <StatusChip status={r.status} />
            {ids.length > 2 && (
              <button onClick={() => remove(r.id)} aria-label={`remove ${r.id}`}>
                ×
              </button>
            )}
          </span>
        ))}
        {ids.length < 10 && (
          <input
            type="text"
            placeholder="add a run id ↵"
            aria-label="add run"
            onKeyDown={(e) => {
              const id = e.currentTarget.value.trim();
              if (e.key === 'Enter' && id && !ids.includes(id))
                router.push(`/compare?runs=${[...ids, id].map(encodeURIComponent).join(',')}`);
            }}
          />
        )}
      </div>
      <h2>Summary</h2>
      <div className="row" style={{ marginBottom: 6 }}>
        <label>
          metric{' '}
          <select value={key} onChange={(e) => setSummaryKey(e.target.value)}>
            {metricKeys.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </label>
      </div>
      <table className="data" data-testid="summary-table">
        <thead>
          <tr>
            <th>run</th>
            <th>status</th>
            <th>final {key}</th>
            <th>best {key}</th>
            <th>step of best</th>
            <th>duration</th>
            <th>anomalies</th>
          </tr>
        </thead>
        <tbody>
          {data.runs.map((r, i) => {
            const s = summaries.find((x) => x.runId === r.id && x.key === key);
            return (
              <tr key={r.id}>
                <td>
                  <span style={{ color: colour(i) }}>■</span> {r.name ?? r.id}
                </td>
                <td>
                  <StatusChip status={r.status} />
                </td>
                <td className="num">
                  <Num value={s?.last} />
                </td>
                <td className="num">
                  <Num value={s?.min} />
                </td>
                <td className="num">{s?.stepOfMin ?? '—'}</td>
                <td className="num">{formatDuration(r.durationS)}</td>
                <td>
                  <AnomalyBadges rules={r.anomalies} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <h2>Metrics</h2>
      <ChartControls value={settings} onChange={setSettings} />
      <div className="grid2" data-testid="charts">
        {charts.map((c) => (
          <MetricChart
            key={c.key}
            title={c.key}
            xLabel={settings.xAxis}
            series={c.series}
            logScale={settings.logScale}
          />
        ))}
      </div>
      <h2>Config</h2>
      <CompareConfigTable runs={data.runs} colour={colour} diff={rows} />
      <h2>Hyperparameter vs metric</h2>
      <CompareScatter
        runs={data.runs}
        colour={colour}
        params={rows}
        summaries={summaries}
        metricKeys={metricKeys}
      />
    </div>
  );
}
