'use client';
import { useQueries, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useMemo, useState } from 'react';
import { RUN_COLOURS } from '../lib/chart-data';
import { configRows } from '../lib/compare-model';
import { formatDuration } from '../lib/format';
import { groupMetrics, primaryLossKey } from '../lib/metric-groups';
import { runLabels, type ChartRun, type RunGroup } from '../lib/run-charts';
import { useTRPC } from '../lib/trpc-client';
import { ChartControls, DEFAULT_CHART_SETTINGS } from './chart-controls';
import { CompareConfigTable } from './compare-config-table';
import { CompareScatter } from './compare-scatter';
import { CompareMedia } from './compare-media';
import { MetricGroupsView } from './metric-groups-view';
import { ParallelCoords } from './parallel-coords';
import { SingleValues } from './single-values';
import { AnomalyBadges, Num, StatusChip } from './status-chip';

/** 2–10 runs side by side; the selection lives in the URL (`/compare?runs=a,b`). */
export function CompareView({ ids }: { ids: string[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [settings, setSettings] = useState(DEFAULT_CHART_SETTINGS);
  const [summaryKey, setSummaryKey] = useState<string | undefined>();
  const [groupBy, setGroupBy] = useState<'none' | 'experiment' | 'tag'>('none');
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
  const counts = useMemo(() => {
    const m = new Map<string, number>();
    for (const r of data?.runs ?? [])
      for (const x of r.metrics) m.set(x.key, Math.max(m.get(x.key) ?? 0, x.count));
    return m;
  }, [data]);
  const grouped = useMemo(() => groupMetrics(data?.runs[0]?.experiment ?? '', counts), [data, counts]);
  const labels = useMemo(() => runLabels(data?.runs ?? []), [data]);
  const chartRuns = useMemo<ChartRun[]>(
    () =>
      (data?.runs ?? []).map((r, i) => ({
        id: r.id,
        label: labels[i]!,
        colour: colour(i),
        startedAt: r.startedAt,
        series: data!.series.filter((s) => s.runId === r.id),
        anomalies: anomaliesByRun[i] ?? [],
      })),
    [data, anomaliesByRun, labels],
  );
  const runGroups = useMemo<RunGroup[] | undefined>(() => {
    if (groupBy === 'none' || !data) return undefined;
    const shared = data.runs.map((r) => r.tags).reduce((a, b) => a.filter((t) => b.includes(t)));
    const nameOf = (r: (typeof data.runs)[number]) =>
      groupBy === 'experiment'
        ? r.experiment
        : r.tags.filter((t) => !shared.includes(t)).join(', ') || '(no other tag)';
    const names = [...new Set(data.runs.map(nameOf))];
    return names.map((name, gi) => ({
      name,
      colour: colour(gi),
      runs: chartRuns.filter((_, i) => nameOf(data.runs[i]!) === name),
    }));
  }, [groupBy, data, chartRuns]);

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
  const key = summaryKey ?? primaryLossKey(metricKeys) ?? metricKeys[0];
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
            <Link href={`/runs/${encodeURIComponent(r.id)}`}>{labels[i]}</Link>
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
          <select value={key} onChange={(e) => setSummaryKey(e.target.value)} data-testid="summary-metric">
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
                  <span style={{ color: colour(i) }}>■</span> {labels[i]}
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
      {grouped.singles.length > 0 && (
        <>
          <h2>Values logged once</h2>
          <SingleValues
            keys={grouped.singles}
            runs={data.runs.map((r, i) => ({
              id: r.id,
              label: labels[i]!,
              colour: colour(i),
              values: new Map(r.metrics.map((m) => [m.key, m.last])),
            }))}
          />
        </>
      )}
      <h2>Charts</h2>
      <ChartControls value={settings} onChange={setSettings} />
      <div className="row panel">
        <label>
          group runs by{' '}
          <select
            value={groupBy}
            onChange={(e) => setGroupBy(e.target.value as typeof groupBy)}
            data-testid="group-by"
          >
            <option value="none">nothing (one line per run)</option>
            <option value="experiment">experiment (mean, min–max band)</option>
            <option value="tag">tag (mean, min–max band)</option>
          </select>
        </label>
        <span className="legend-keys muted">
          <span>solid: validation</span>
          <span>dashed: epoch mean of training</span>
          <span>dotted: training per step</span>
          <span style={{ color: '#15803d' }}>green dashed line: best epoch</span>
        </span>
        {runGroups && (
          <span className="legend-keys">
            {runGroups.map((g) => (
              <span key={g.name}>
                <span className="swatch" style={{ background: g.colour }} />
                {g.name} ({g.runs.length})
              </span>
            ))}
          </span>
        )}
      </div>
      <MetricGroupsView
        grouped={grouped}
        runs={chartRuns}
        settings={settings}
        lossKey={primaryLossKey(grouped.all)}
        {...(runGroups ? { runGroups } : {})}
      />
      <h2>Media: the same clip across runs</h2>
      <CompareMedia runs={data.runs.map((r, i) => ({ id: r.id, name: labels[i]! }))} colour={colour} />
      <h2>Config</h2>
      <CompareConfigTable runs={data.runs} colour={colour} diff={rows} />
      {data.runs.length >= 3 && (
        <>
          <h2>Hyperparameters against a metric</h2>
          <ParallelCoords
            runs={data.runs.map((r, i) => ({ id: r.id, name: labels[i]! }))}
            colour={colour}
            params={rows}
            summaries={summaries}
            metricKeys={metricKeys}
            defaultMetric={primaryLossKey(metricKeys) ?? metricKeys[0]}
          />
        </>
      )}
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
