import { z } from 'zod';
import type { Tracker } from '../tracker';
import { CONFIG_VOCABULARY, mapConfig } from '../vocabulary/config-vocabulary';
import { LOSS_VOCABULARY, lossFigure, type LossTerm } from '../vocabulary/loss-vocabulary';
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

/**
 * A row of a mapped setting (see CONFIG_VOCABULARY) also carries its `label` and each run's own key
 * (`rawKeys[runId]`, e.g. `learning_rate` for a legacy run, `training.lr` for a live one).
 */
interface MappedFields {
  label?: string;
  rawKeys?: Record<string, string>;
}

export interface ConfigDiff {
  /** Keys present in every run with differing values. `values[runId]` is the parsed value. */
  changed: ({ key: string; values: Record<string, unknown> } & MappedFields)[];
  /** Keys missing from at least one run: which runs have them, with their values. */
  onlyIn: ({ key: string; runs: string[]; values: Record<string, unknown> } & MappedFields)[];
  /** Keys equal in every run. */
  same: ({ key: string; value: unknown } & MappedFields)[];
}

/** One loss figure (LOSS_VOCABULARY) per run, with the summary field or metric it came from. */
export interface LossRow {
  key: LossTerm['key'];
  label: string;
  values: Record<string, number | null>;
  sources: Record<string, string>;
}

export interface Comparison {
  runs: (RunItem & { metrics: MetricSummary[] })[];
  config: ConfigDiff;
  /** Final/best train and validation loss, best epoch and test loss of every run, legacy and live alike. */
  losses: LossRow[];
  series: MetricSeries[];
}

/**
 * Config diff over flattened dotted keys. With `labels`/`rawKeys` (from `mapConfig`), mapped rows say what the
 * setting is and under which key each run recorded it.
 */
export function diffConfigs(
  params: Map<string, Map<string, unknown>>,
  mapped: { labels?: Map<string, string>; rawKeys?: Map<string, Map<string, string>> } = {},
): ConfigDiff {
  const ids = [...params.keys()];
  const allKeys = [...new Set(ids.flatMap((id) => [...params.get(id)!.keys()]))].sort();
  const diff: ConfigDiff = { changed: [], onlyIn: [], same: [] };
  for (const key of allKeys) {
    const have = ids.filter((id) => params.get(id)!.has(key));
    const values = Object.fromEntries(have.map((id) => [id, params.get(id)!.get(key)]));
    const label = mapped.labels?.get(key);
    const raw = have.flatMap((id) => {
      const r = mapped.rawKeys?.get(id)?.get(key);
      return r ? [[id, r] as const] : [];
    });
    const extra: MappedFields = label ? { label, rawKeys: Object.fromEntries(raw) } : {};
    if (have.length < ids.length) diff.onlyIn.push({ key, runs: have, values, ...extra });
    else if (new Set(have.map((id) => JSON.stringify(values[id]))).size > 1)
      diff.changed.push({ key, values, ...extra });
    else diff.same.push({ key, value: values[have[0]!], ...extra });
  }
  return diff;
}

/** Compares runs: items with metric summaries, config diff, and downsampled series. @throws RunNotFoundError */
export function compareRuns(tracker: Tracker, input: CompareRunsInput): Comparison {
  const o = CompareRunsInputSchema.parse(input);
  const ids = [...new Set(o.ids)];
  const details = ids.map((id) => getRun(tracker, id));
  // legacy and live runs through one vocabulary: mapped settings share a row, raw keys kept per run
  const views = details.map((d) => ({
    id: d.id,
    ...mapConfig(new Map(d.params.map((p) => [p.key, p.value])), d.source),
  }));
  const config = diffConfigs(new Map(views.map((v) => [v.id, v.values])), {
    labels: new Map(CONFIG_VOCABULARY.map((t) => [t.key, t.label])),
    rawKeys: new Map(views.map((v) => [v.id, v.rawKeys])),
  });
  const losses: LossRow[] = LOSS_VOCABULARY.map((term) => {
    const row: LossRow = { key: term.key, label: term.label, values: {}, sources: {} };
    for (const d of details) {
      const f = lossFigure(term, d);
      row.values[d.id] = f?.value ?? null;
      if (f) row.sources[d.id] = f.from;
    }
    return row;
  });
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
  return { runs, config, losses, series };
}
