import { z } from 'zod';
import type { Tracker } from '../tracker';
import { getRun, type MetricSummary } from './get-run';
import { AXES, downsampleSeries, withAxis, type MetricSeries } from './metric-series';
import type { RunItem } from './run-item';

export const CompareRunsInputSchema = z.object({
  ids: z.array(z.string().min(1)).min(1).max(50),
  /** Metric keys to return series for (default: every key of any run). */
  keys: z.array(z.string().min(1)).optional(),
  /** At most this many points per series (default 1000). */
  maxPoints: z.number().int().min(10).max(100_000).default(1000),
  axis: z.enum(AXES).default('step'),
});
export type CompareRunsInput = z.input<typeof CompareRunsInputSchema>;

export interface ConfigDiff {
  /** Keys present in every run with differing values. `values[runId]` is the parsed value. */
  changed: { key: string; values: Record<string, unknown> }[];
  /** Keys missing from at least one run: which runs have them, with their values. */
  onlyIn: { key: string; runs: string[]; values: Record<string, unknown> }[];
  /** Keys equal in every run. */
  same: { key: string; value: unknown }[];
}

export interface Comparison {
  runs: (RunItem & { metrics: MetricSummary[] })[];
  config: ConfigDiff;
  series: MetricSeries[];
}

/** Config diff over flattened dotted keys. */
export function diffConfigs(params: Map<string, Map<string, unknown>>): ConfigDiff {
  const ids = [...params.keys()];
  const allKeys = [...new Set(ids.flatMap((id) => [...params.get(id)!.keys()]))].sort();
  const diff: ConfigDiff = { changed: [], onlyIn: [], same: [] };
  for (const key of allKeys) {
    const have = ids.filter((id) => params.get(id)!.has(key));
    const values = Object.fromEntries(have.map((id) => [id, params.get(id)!.get(key)]));
    if (have.length < ids.length) diff.onlyIn.push({ key, runs: have, values });
    else if (new Set(have.map((id) => JSON.stringify(values[id]))).size > 1)
      diff.changed.push({ key, values });
    else diff.same.push({ key, value: values[have[0]!] });
  }
  return diff;
}

/** Compares runs: items with metric summaries, config diff, and downsampled series. @throws RunNotFoundError */
export function compareRuns(tracker: Tracker, input: CompareRunsInput): Comparison {
  const o = CompareRunsInputSchema.parse(input);
  const ids = [...new Set(o.ids)];
  const details = ids.map((id) => getRun(tracker, id));
  const config = diffConfigs(
    new Map(details.map((d) => [d.id, new Map(d.params.map((p) => [p.key, p.value]))])),
  );
  const series: MetricSeries[] = [];
  for (const d of details) {
    const keys = o.keys ?? [...new Set(details.flatMap((x) => x.metrics.map((m) => m.key)))].sort();
    for (const key of keys) {
      if (!d.metrics.some((m) => m.key === key)) continue;
      const s = downsampleSeries(tracker, d.id, key, o.maxPoints);
      series.push({ ...s, axis: o.axis, points: withAxis(s.points, o.axis, d.startedAt) });
    }
  }
  const runs = details.map(
    ({
      config: _c,
      params: _p,
      system: _s,
      summary: _su,
      artifacts: _a,
      anomalyDetails: _ad,
      contentHash: _h,
      host: _ho,
      pid: _pi,
      errorStack: _e,
      ...item
    }) => item,
  );
  return { runs, config, series };
}
