import type { SqlClient } from './db/sql-client';
import { ImportRunSchema, type ImportRun, type ImportRunInput } from './import-run-schema';
import { earlierRunsWithHash, evaluateRules, writeFindings } from './health/check-run';
import type { RunFacts } from './health/run-facts';
import { insertRows } from './multi-row-insert';
import { ARTIFACT_COLUMNS, buildRunRows, METRIC_COLUMNS, ROLLUP_COLUMNS, RUN_COLUMNS } from './run-rows';
import { withBusyRetry } from './sqlite-retry';
import type { Tracker } from './tracker';
import type { runs } from './db/schema';
import type { SqlRow } from './db/sql-row';

export { ImportRunSchema, type ImportRun, type ImportRunInput };

/** importRun's statements, prepared once per connection (preparing them cost more than running them). */
function importStatements(sqlite: SqlClient) {
  let st = STATEMENTS.get(sqlite);
  if (!st) {
    st = prepareImport(sqlite);
    STATEMENTS.set(sqlite, st);
  }
  return st;
}
const STATEMENTS = new WeakMap<SqlClient, ReturnType<typeof prepareImport>>();

function prepareImport(sqlite: SqlClient) {
  return {
    experiment: sqlite.prepare(
      `INSERT INTO experiments (name, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING`,
    ),
    clear: ['metrics', 'metric_rollups', 'artifacts', 'anomalies'].map((t) =>
      sqlite.prepare(`DELETE FROM ${t} WHERE run_id = ?`),
    ),
    previous: sqlite.prepare(`SELECT content_hash FROM runs WHERE id = ?`),
    // positional: binding 23 named parameters cost more than the insert
    upsertRun: sqlite.prepare(
      `INSERT INTO runs (${RUN_COLUMNS.join(', ')}) VALUES (${RUN_COLUMNS.map(() => '?').join(', ')})
       ON CONFLICT(id) DO UPDATE SET ${RUN_COLUMNS.filter((c) => c !== 'id' && c !== 'heartbeat_at')
         .map((c) => `${c} = excluded.${c}`)
         .join(', ')}`,
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
    tracker.sql.transaction(() => importRunInTransaction(tracker, input)).immediate(),
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
export function importParsedRunInTransaction(
  tracker: Tracker,
  r: ImportRun,
): { id: string; anomalies: string[] } {
  const sqlite = tracker.sql;
  const st = importStatements(sqlite);
  const now = Date.now();
  const rows = buildRunRows(r, now);
  st.experiment.run(r.experiment, now);
  const previous = st.previous.get(r.id) as Pick<SqlRow<typeof runs>, 'content_hash'> | undefined;
  const previousHash = previous?.content_hash;
  // a new run has nothing to clear (rows of other tables reference runs by foreign key)
  if (previous) for (const clear of st.clear) clear.run(r.id);
  st.upsertRun.run(rows.run);
  insertRows(sqlite, 'metrics', METRIC_COLUMNS, rows.metrics);
  // the run's rollups were deleted above: each bucket is new, so a plain multi-row INSERT does
  insertRows(sqlite, 'metric_rollups', ROLLUP_COLUMNS, rows.rollups);
  insertRows(sqlite, 'artifacts', ARTIFACT_COLUMNS, rows.artifacts);
  const contentHash = r.contentHash ?? null;
  const facts: RunFacts = {
    ...rows.facts,
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
