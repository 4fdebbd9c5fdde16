import type Database from 'better-sqlite3';
import { flatConfigMap } from './config';
import { decodeJson, encodeJson } from './db/json-column';
import type { JsonObject } from './db/schema';
import { ImportRunSchema, type ImportRun, type ImportRunInput } from './import-run-schema';
import { earlierRunsWithHash, evaluateRules, writeFindings } from './health/check-run';
import { isLossKey } from './health/loss-keys';
import type { RunFacts, Series } from './health/run-facts';
import { decodeValue, flagOf } from './metric-value';
import { ROLLUP_COLUMNS, RollupBuilder } from './metric-rollup';
import { insertRows } from './multi-row-insert';
import { errorFields } from './run';
import { withBusyRetry } from './sqlite-retry';
import type { Tracker } from './tracker';

export { ImportRunSchema, type ImportRun, type ImportRunInput };

const METRIC_COLUMNS = ['run_id', 'key', 'step', 'epoch', 'wall_time', 'value', 'flag'];

/** importRun's statements, prepared once per connection (preparing them cost more than running them). */
function importStatements(sqlite: Database.Database) {
  let st = STATEMENTS.get(sqlite);
  if (!st) {
    st = prepareImport(sqlite);
    STATEMENTS.set(sqlite, st);
  }
  return st;
}
const STATEMENTS = new WeakMap<Database.Database, ReturnType<typeof prepareImport>>();

function prepareImport(sqlite: Database.Database) {
  return {
    experiment: sqlite.prepare(`INSERT OR IGNORE INTO experiments (name, created_at) VALUES (?, ?)`),
    clear: ['metrics', 'metric_rollups', 'artifacts', 'anomalies'].map((t) =>
      sqlite.prepare(`DELETE FROM ${t} WHERE run_id = ?`),
    ),
    previous: sqlite.prepare(`SELECT content_hash FROM runs WHERE id = ?`),
    upsertRun: sqlite.prepare(
      `INSERT INTO runs (id, experiment, name, status, source, started_at, ended_at, duration_s, git_commit, hardware,
         backend, host, system, tags, notes, error_type, error_message, error_stack, heartbeat_at, config,
         content_hash, source_missing, summary)
       VALUES (@id, @experiment, @name, @status, @source, @startedAt, @endedAt, @durationS, @gitCommit, @hardware,
         @backend, @host, @system, @tags, @notes, @errorType, @errorMessage, @errorStack, NULL, @config,
         @contentHash, @sourceMissing, @summary)
       ON CONFLICT(id) DO UPDATE SET experiment = excluded.experiment, name = excluded.name, status = excluded.status,
         source = excluded.source, started_at = excluded.started_at, ended_at = excluded.ended_at,
         duration_s = excluded.duration_s, git_commit = excluded.git_commit, hardware = excluded.hardware,
         backend = excluded.backend, host = excluded.host, system = excluded.system, tags = excluded.tags,
         notes = excluded.notes, error_type = excluded.error_type, error_message = excluded.error_message,
         error_stack = excluded.error_stack, config = excluded.config, content_hash = excluded.content_hash,
         source_missing = excluded.source_missing, summary = excluded.summary`,
    ),
    insertArtifact: sqlite.prepare(
      `INSERT INTO artifacts (run_id, kind, name, path, sha256, bytes, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    othersWithHash: sqlite.prepare(`SELECT id FROM runs WHERE content_hash = ? AND id != ?`).pluck(),
  };
}

/**
 * Writes a whole run in one transaction, replacing an earlier import with the same id (its metrics, params,
 * artifacts and anomalies; rows of other tables that point at the run keep pointing at it), then evaluates the
 * health rules on it and re-evaluates `duplicate` on runs sharing its content hash. The run's own rules are
 * evaluated from what was just written, kept in memory (the same facts `loadRunFacts` would read back).
 * @throws a zod error naming the bad field.
 */
export function importRun(tracker: Tracker, input: ImportRunInput): { id: string; anomalies: string[] } {
  tracker.sweepStale();
  return withBusyRetry(() =>
    tracker.sqlite.transaction(() => importRunInTransaction(tracker, input)).immediate(),
  );
}

/**
 * `importRun` for a caller already inside a write transaction that rolls back as a whole if this throws (the
 * legacy importer: one savepoint per file); no savepoint of its own, no stale sweep.
 * @throws a zod error naming the bad field (before anything is written).
 */
export function importRunInTransaction(
  tracker: Tracker,
  input: ImportRunInput,
): { id: string; anomalies: string[] } {
  return importParsedRunInTransaction(tracker, ImportRunSchema.parse(input));
}

/**
 * `importRunInTransaction` for a run already validated by `ImportRunSchema` (the legacy importer validates while
 * preparing a file, possibly in a worker thread).
 */
export function importParsedRunInTransaction(tracker: Tracker, r: ImportRun): { id: string; anomalies: string[] } {
  const err = r.error
    ? r.error instanceof Error
      ? errorFields(r.error)
      : {
          errorType: r.error.type ?? null,
          errorMessage: r.error.message ?? null,
          errorStack: r.error.stack ?? null,
        }
    : null;
  const sqlite = tracker.sqlite;
  const st = importStatements(sqlite);
  const now = Date.now();
  st.experiment.run(r.experiment, now);
  const previous = st.previous.get(r.id) as { content_hash: string | null } | undefined;
  const previousHash = previous?.content_hash;
  // a new run has nothing to clear (rows of other tables reference runs by foreign key)
  if (previous) for (const clear of st.clear) clear.run(r.id);
  const durationS = r.durationS ?? (r.endedAt != null ? (r.endedAt - r.startedAt) / 1000 : null);
  const summary = r.summary ? encodeJson(r.summary) : null;
  st.upsertRun.run({
    id: r.id,
    experiment: r.experiment,
    name: r.name ?? null,
    status: r.status,
    source: r.source,
    startedAt: r.startedAt,
    endedAt: r.endedAt ?? null,
    durationS,
    gitCommit: r.gitCommit ?? null,
    hardware: r.hardware ?? null,
    backend: r.backend ?? null,
    host: r.host ?? null,
    system: r.system ? encodeJson(r.system) : null,
    tags: encodeJson(r.tags),
    notes: r.notes ?? null,
    errorType: err?.errorType ?? null,
    errorMessage: err?.errorMessage ?? null,
    errorStack: err?.errorStack ?? null,
    config: encodeJson(r.config),
    contentHash: r.contentHash ?? null,
    sourceMissing: r.sourceMissing ? 1 : 0,
    summary,
  });
  const flatConfig = flatConfigMap(r.config);
  const metricRows: unknown[][] = [];
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
    metricRows.push([r.id, m.key, m.step, m.epoch ?? null, wallTime, flag === 0 ? m.value : null, flag]);
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
  insertRows(sqlite, 'metrics', METRIC_COLUMNS, metricRows);
  // the run's rollups were deleted above: each bucket is new, so a plain multi-row INSERT does
  insertRows(sqlite, 'metric_rollups', ROLLUP_COLUMNS, rollups.takeRows(r.id, { wholeSeries: true }));
  for (const a of r.artifacts)
    st.insertArtifact.run(r.id, a.kind, a.name ?? null, a.path, a.sha256 ?? null, a.bytes ?? null, now);
  const contentHash = r.contentHash ?? null;
  const facts: RunFacts = {
    id: r.id,
    status: r.status,
    source: r.source,
    durationS,
    errorType: err?.errorType ?? null,
    errorMessage: err?.errorMessage ?? null,
    flatConfig,
    // read back as the store would return it (JSON round trip, non-finite numbers kept)
    summary: summary ? (decodeJson(summary) as JsonObject) : null,
    metricCount: r.metrics.length,
    losses: [...losses.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
    duplicateOf: earlierRunsWithHash(sqlite, { id: r.id, contentHash, startedAt: r.startedAt }),
  };
  const findings = r.status !== 'RUNNING' ? evaluateRules(facts, tracker.settings.health) : [];
  writeFindings(sqlite, r.id, findings);
  // Runs sharing the old or new hash may gain or lose their `duplicate` finding.
  for (const h of new Set([contentHash, previousHash].filter((x): x is string => !!x))) {
    for (const o of st.othersWithHash.all(h, r.id) as string[]) tracker.checkHealthInTransaction(o);
  }
  return { id: r.id, anomalies: findings.map((x) => x.rule) };
}
