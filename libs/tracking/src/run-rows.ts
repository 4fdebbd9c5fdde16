import { flatConfigMap } from './config';
import { decodeJson, encodeJson } from './db/json-column';
import type { JsonObject } from './db/schema';
import { isLossKey } from './health/loss-keys';
import type { RunFacts, Series } from './health/run-facts';
import type { ImportRun } from './import-run-schema';
import { decodeValue, flagOf } from './metric-value';
import { ROLLUP_COLUMNS, RollupBuilder } from './metric-rollup';
import { errorFields } from './run-error';

/** `runs` columns in the order of `RunRows.run`. */
export const RUN_COLUMNS = [
  'id',
  'experiment',
  'name',
  'status',
  'source',
  'started_at',
  'ended_at',
  'duration_s',
  'git_commit',
  'hardware',
  'backend',
  'host',
  'system',
  'tags',
  'notes',
  'error_type',
  'error_message',
  'error_stack',
  'heartbeat_at',
  'config',
  'content_hash',
  'source_missing',
  'summary',
] as const;
export const METRIC_COLUMNS = ['run_id', 'key', 'step', 'epoch', 'wall_time', 'value', 'flag'] as const;
export const ARTIFACT_COLUMNS = ['run_id', 'kind', 'name', 'path', 'sha256', 'bytes', 'created_at'] as const;
export { ROLLUP_COLUMNS };

/** Every row a whole imported run writes, built without the store, and what the health rules need of it. */
export interface RunRows {
  run: unknown[];
  metrics: unknown[][];
  rollups: unknown[][];
  artifacts: unknown[][];
  /** The rules' facts, as `loadRunFacts` would read them back (all but `duplicateOf`, which needs the store). */
  facts: Omit<RunFacts, 'duplicateOf'>;
}

export function buildRunRows(r: ImportRun, now: number): RunRows {
  const err = r.error
    ? r.error instanceof Error
      ? errorFields(r.error)
      : {
          errorType: r.error.type ?? null,
          errorMessage: r.error.message ?? null,
          errorStack: r.error.stack ?? null,
        }
    : null;
  const durationS = r.durationS ?? (r.endedAt != null ? (r.endedAt - r.startedAt) / 1000 : null);
  const summary = r.summary ? encodeJson(r.summary) : null;
  const run = [
    r.id,
    r.experiment,
    r.name ?? null,
    r.status,
    r.source,
    r.startedAt,
    r.endedAt ?? null,
    durationS,
    r.gitCommit ?? null,
    r.hardware ?? null,
    r.backend ?? null,
    r.host ?? null,
    r.system ? encodeJson(r.system) : null,
    encodeJson(r.tags),
    r.notes ?? null,
    err?.errorType ?? null,
    err?.errorMessage ?? null,
    err?.errorStack ?? null,
    null,
    encodeJson(r.config),
    r.contentHash ?? null,
    r.sourceMissing ? 1 : 0,
    summary,
  ];
  const metrics: unknown[][] = [];
  const wall = r.endedAt ?? r.startedAt;
  // Per key in step order, so rollup buckets hold consecutive points.
  const rollups = new RollupBuilder();
  const ordered = r.metrics
    .map((m, i) => ({ m, i }))
    .sort((a, b) => (a.m.key < b.m.key ? -1 : a.m.key > b.m.key ? 1 : a.m.step - b.m.step || a.i - b.i));
  const losses = new Map<string, Series>();
  for (const { m } of ordered) {
    const flag = flagOf(m.value);
    const wallTime = m.wallTime ?? wall;
    metrics.push([r.id, m.key, m.step, m.epoch ?? null, wallTime, flag === 0 ? m.value : null, flag]);
    rollups.add(m.key, m.step, m.epoch ?? null, wallTime, m.value);
    if (isLossKey(m.key)) {
      let s = losses.get(m.key);
      if (!s) losses.set(m.key, (s = { key: m.key, steps: [], epochs: [], values: [] }));
      s.steps.push(m.step);
      s.epochs.push(m.epoch ?? null);
      // as stored: a finite value as REAL, a non-finite one by its flag
      s.values.push(flag === 0 ? m.value : decodeValue(null, flag));
    }
  }
  return {
    run,
    metrics,
    rollups: rollups.takeRows(r.id, { wholeSeries: true }),
    artifacts: r.artifacts.map((a) => [
      r.id,
      a.kind,
      a.name ?? null,
      a.path,
      a.sha256 ?? null,
      a.bytes ?? null,
      now,
    ]),
    facts: {
      id: r.id,
      status: r.status,
      source: r.source,
      durationS,
      errorType: err?.errorType ?? null,
      errorMessage: err?.errorMessage ?? null,
      flatConfig: flatConfigMap(r.config),
      // read back as the store would return it (JSON round trip, non-finite numbers kept); text without any null
      // round-trips to an equal object (encodeJson's fast path), so the parse is skipped for it
      summary: summary
        ? summary.includes('null')
          ? (decodeJson(summary) as JsonObject)
          : (r.summary as JsonObject)
        : null,
      metricCount: r.metrics.length,
      losses: [...losses.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
    },
  };
}
