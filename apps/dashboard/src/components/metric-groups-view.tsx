'use client';
import { useState } from 'react';
import type { GroupedMetrics } from '../lib/metric-groups';
import { bestMarkers, chartLines, groupLines, type ChartRun, type RunGroup } from '../lib/run-charts';
import { unitOf } from '../lib/units';
import type { ChartSettings } from './chart-controls';
import { MetricChart } from './metric-chart';

export interface MetricGroupsViewProps {
  grouped: GroupedMetrics;
  runs: ChartRun[];
  settings: ChartSettings;
  /** The loss whose minimum marks the best epoch (validation loss where logged). */
  lossKey: string | null;
  /** Compare: draw groups of runs as mean + min…max band instead of one line per run. */
  runGroups?: RunGroup[];
  /** Points per key before downsampling (to say when a chart shows fewer). */
  totals?: ReadonlyMap<string, number>;
}

function Chart({
  title,
  keys,
  markBest,
  p,
}: {
  title: string;
  keys: string[];
  markBest: boolean;
  p: MetricGroupsViewProps;
}) {
  const grouped = p.runGroups ? groupLines(keys, p.runGroups, p.settings) : null;
  const series = grouped ? grouped.lines : chartLines(keys, p.runs, p.settings);
  if (series.length === 0) return null;
  const total = Math.max(0, ...keys.map((k) => p.totals?.get(k) ?? 0));
  const shown = Math.max(0, ...series.map((s) => s.x.length));
  return (
    <MetricChart
      title={title}
      xLabel={p.settings.xAxis}
      xUnit={p.settings.xAxis === 'time' ? 's' : ''}
      unit={unitOf(keys[0] ?? '')}
      series={series}
      logScale={p.settings.logScale}
      markers={markBest && !grouped ? bestMarkers(p.lossKey, p.runs, p.settings) : []}
      bands={grouped?.bands ?? []}
      note={
        total > shown
          ? `${shown} of ${total} points (downsampled on the server, flagged points kept)`
          : undefined
      }
    />
  );
}

/**
 * Charts grouped by meaning (loss, task metrics, optimisation, speed, RTNeural, other), then every multi-point
 * metric on its own under "all metrics" (drawn only when opened).
 */
export function MetricGroupsView(p: MetricGroupsViewProps) {
  const [allOpen, setAllOpen] = useState(false);
  return (
    <div data-testid="metric-groups">
      {p.grouped.groups.map((g) => (
        <section key={g.id} data-group={g.id} aria-label={g.title}>
          <h3>{g.title}</h3>
          <div className="grid2">
            {g.charts.map((c) => (
              <Chart key={c.id} title={c.title} keys={c.keys} markBest={c.markBest} p={p} />
            ))}
          </div>
        </section>
      ))}
      <details
        className="all-metrics"
        data-testid="all-metrics"
        onToggle={(e) => setAllOpen(e.currentTarget.open)}
      >
        <summary>
          all metrics ({p.grouped.all.length} series, {p.grouped.singles.length} single values)
        </summary>
        {allOpen && (
          <div className="grid2">
            {p.grouped.all.map((k) => (
              <Chart key={k} title={k} keys={[k]} markBest={false} p={p} />
            ))}
          </div>
        )}
      </details>
    </div>
  );
}
