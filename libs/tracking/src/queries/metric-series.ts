import { z } from 'zod';
import { decodeJson } from '../db/json-column';
import { isLossKey } from '../health/loss-keys';
import { ROLLUP_LEVELS } from '../metric-rollup';
import { decodeValue } from '../metric-value';
import type { anomalies, metricRollups, metrics } from '../db/schema';
import type { SqlRow } from '../db/sql-row';
import type { Tracker } from '../tracker';
import { assemble, bucketPoints, mergeBuckets, type BucketExtremes, type MetricPoint } from './downsample';
import { RunNotFoundError } from './run-item';

export const AXES = ['step', 'epoch', 'time'] as const;
export type Axis = (typeof AXES)[number];

export const MetricSeriesInputSchema = z.object({
  runId: z.string().min(1),
  /** One key; all keys of the run when omitted. */
  key: z.string().min(1).optional(),
  /** At most this many points per series (default 1000, min 10). */
  maxPoints: z.number().int().min(10).max(1_000_000).default(1000),
  axis: z.enum(AXES).default('step'),
});
export type MetricSeriesInput = z.input<typeof MetricSeriesInputSchema>;

/** A point with its x for the chosen axis: step, epoch (step when missing), or seconds since the run started. */
export interface SeriesPoint extends MetricPoint {
  x: number;
}

export interface MetricSeries {
  runId: string;
  key: string;
  axis: Axis;
  /** Points stored for this key. */
  total: number;
  downsampled: boolean;
  /** Mandatory points dropped because there were more of them than maxPoints (normally 0). */
  mandatoryDropped: number;
  points: SeriesPoint[];
}

type M = SqlRow<typeof metrics>;
/** A metric point in raw (array) mode, the columns of COLS in order. */
type Row = [M['step'], M['epoch'], M['wall_time'], M['value'], M['flag']];
const toPoint = (r: Row): MetricPoint => ({
  step: r[0],
  epoch: r[1],
  wallTime: r[2],
  value: decodeValue(r[3], r[4]),
});
const COLS = 'step, epoch, wall_time, value, flag';

/** Rollup row in raw (array) mode: min_value, min_step, min_epoch, min_wall, max_value, max_step, max_epoch, max_wall. */
type R = SqlRow<typeof metricRollups>;
type RollupRow = [
  R['min_value'],
  R['min_step'],
  R['min_epoch'],
  R['min_wall'],
  R['max_value'],
  R['max_step'],
  R['max_epoch'],
  R['max_wall'],
];
function rollupExtremes(r: RollupRow): BucketExtremes {
  return {
    min: r[0] === null || r[1] === null ? null : { step: r[1], epoch: r[2], wallTime: r[3]!, value: r[0] },
    max: r[4] === null || r[5] === null ? null : { step: r[5], epoch: r[6], wallTime: r[7]!, value: r[4] },
  };
}

/**
 * One series downsampled to ≤ maxPoints with min/max buckets, always keeping the first and last point and every
 * non-finite, zero-loss and anomaly-flagged point. Reads stored rollups for long series, so the cost grows with
 * maxPoints, not with the series length.
 */
export function downsampleSeries(
  tracker: Tracker,
  runId: string,
  key: string,
  maxPoints: number,
): Omit<MetricSeries, 'axis' | 'points'> & { points: MetricPoint[] } {
  const db = tracker.sql;
  const total =
    (
      db
        .prepare(`SELECT sum(count) AS n FROM metric_rollups WHERE run_id = ? AND key = ? AND level = ?`)
        .get(runId, key, ROLLUP_LEVELS[ROLLUP_LEVELS.length - 1]!.level) as { n: number | null }
    ).n ??
    (
      db.prepare(`SELECT count(*) AS n FROM metrics WHERE run_id = ? AND key = ?`).get(runId, key) as {
        n: number;
      }
    ).n;
  const raw = () =>
    (
      db
        .prepare(`SELECT ${COLS} FROM metrics WHERE run_id = ? AND key = ? ORDER BY step, id`)
        .raw()
        .all(runId, key) as Row[]
    ).map(toPoint);
  if (total <= maxPoints)
    return { runId, key, total, downsampled: false, mandatoryDropped: 0, points: raw() };

  const one = (order: 'ASC' | 'DESC') =>
    db
      .prepare(
        `SELECT ${COLS} FROM metrics WHERE run_id = ? AND key = ? ORDER BY step ${order}, id ${order} LIMIT 1`,
      )
      .raw()
      .get(runId, key) as Row | undefined;
  const mandatory: MetricPoint[] = [];
  for (const r of [one('ASC'), one('DESC')]) if (r) mandatory.push(toPoint(r));
  const special = db
    .prepare(
      `SELECT ${COLS} FROM metrics WHERE run_id = ? AND key = ? AND (flag != 0 OR value = 0) ORDER BY step`,
    )
    .raw()
    .all(runId, key) as Row[];
  const loss = isLossKey(key);
  for (const r of special) if (r[4] !== 0 || loss) mandatory.push(toPoint(r));
  const flaggedSteps = (
    db
      .prepare(`SELECT first_step, evidence FROM anomalies WHERE run_id = ? AND first_step IS NOT NULL`)
      .all(runId) as (Pick<SqlRow<typeof anomalies>, 'evidence'> & { first_step: number })[]
  )
    .filter((a) => {
      const ev = decodeJson(a.evidence) as Record<string, unknown>;
      const keys = [ev.key, ev.valKey, ev.trainKey].filter((k) => typeof k === 'string');
      return keys.length === 0 || keys.includes(key);
    })
    .map((a) => a.first_step);
  const atStep = db.prepare(`SELECT ${COLS} FROM metrics WHERE run_id = ? AND key = ? AND step = ?`).raw();
  for (const s of new Set(flaggedSteps))
    for (const r of atStep.all(runId, key, s) as Row[]) mandatory.push(toPoint(r));

  const target = Math.floor((maxPoints - Math.min(mandatory.length, maxPoints)) / 2);
  let buckets: BucketExtremes[] = [];
  if (target > 0) {
    const level = [...ROLLUP_LEVELS].reverse().find((l) => total / l.size >= target);
    if (level) {
      const rows = db
        .prepare(
          `SELECT min_value, min_step, min_epoch, min_wall, max_value, max_step, max_epoch, max_wall FROM metric_rollups WHERE run_id = ? AND key = ? AND level = ? ORDER BY bucket`,
        )
        .raw()
        .all(runId, key, level.level) as RollupRow[];
      // no rows at the finest level: a short imported series stored without them (see RollupBuilder.takeRows)
      buckets = rows.length ? mergeBuckets(rows.map(rollupExtremes), target) : bucketPoints(raw(), target);
    } else buckets = bucketPoints(raw(), target);
  }
  const { points, mandatoryDropped } = assemble(mandatory, buckets, maxPoints);
  return { runId, key, total, downsampled: true, mandatoryDropped, points };
}

export function withAxis(points: MetricPoint[], axis: Axis, startedAt: number): SeriesPoint[] {
  return points.map((p) => ({
    ...p,
    x: axis === 'step' ? p.step : axis === 'epoch' ? (p.epoch ?? p.step) : (p.wallTime - startedAt) / 1000,
  }));
}

/** Metric series of one run (all keys, or one), downsampled server-side. @throws RunNotFoundError */
export function metricSeries(tracker: Tracker, input: MetricSeriesInput): MetricSeries[] {
  const o = MetricSeriesInputSchema.parse(input);
  const run = tracker.sql.prepare(`SELECT started_at FROM runs WHERE id = ?`).get(o.runId) as
    { started_at: number } | undefined;
  if (!run) throw new RunNotFoundError(o.runId);
  const keys = o.key ? [o.key] : metricKeys(tracker, o.runId);
  return keys.map((key) => {
    const s = downsampleSeries(tracker, o.runId, key, o.maxPoints);
    return { ...s, axis: o.axis, points: withAxis(s.points, o.axis, run.started_at) };
  });
}

/** Distinct metric keys of a run, sorted (from the rollups; from the points for runs written without them). */
export function metricKeys(tracker: Tracker, runId: string): string[] {
  const fromRollups = tracker.sql
    .prepare(`SELECT DISTINCT key FROM metric_rollups WHERE run_id = ? AND level = ? ORDER BY key`)
    .pluck()
    .all(runId, ROLLUP_LEVELS[ROLLUP_LEVELS.length - 1]!.level) as string[];
  if (fromRollups.length) return fromRollups;
  return tracker.sql
    .prepare(`SELECT DISTINCT key FROM metrics WHERE run_id = ? ORDER BY key`)
    .pluck()
    .all(runId) as string[];
}
