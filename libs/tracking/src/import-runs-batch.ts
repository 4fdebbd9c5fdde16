import type { SqlClient, SqlStatement } from './db/sql-client';
import { encodeJson } from './db/json-column';
import { evaluateRules } from './health/check-run';
import { severityOf } from './health/health-options';
import type { ImportRun } from './import-run-schema';
import { importParsedRunInTransaction } from './import-run';
import { insertBulk } from './row-insert';
import { ARTIFACT_COLUMNS, buildRunRows, METRIC_COLUMNS, ROLLUP_COLUMNS, RUN_COLUMNS } from './run-rows';
import type { Tracker } from './tracker';

const ANOMALY_COLUMNS = ['run_id', 'rule', 'severity', 'first_step', 'evidence', 'created_at'] as const;

/** Values per `IN (...)` lookup (well under every engine's bound-parameter limit). */
const LOOKUP_CHUNK = 500;

const LOOKUPS = new WeakMap<SqlClient, Map<string, SqlStatement>>();

/** The values of `column` in `table` among `values` (one query per LOOKUP_CHUNK values, prepared once a size). */
function existing(sqlite: SqlClient, table: string, column: string, values: string[]): Set<string> {
  let cache = LOOKUPS.get(sqlite);
  if (!cache) LOOKUPS.set(sqlite, (cache = new Map<string, SqlStatement>()));
  const found = new Set<string>();
  for (let i = 0; i < values.length; i += LOOKUP_CHUNK) {
    const chunk = values.slice(i, i + LOOKUP_CHUNK);
    const key = `${table}.${column}×${chunk.length}`;
    let st = cache.get(key);
    if (!st) {
      st = sqlite
        .prepare(`SELECT ${column} FROM ${table} WHERE ${column} IN (${chunk.map(() => '?').join(', ')})`)
        .pluck();
      cache.set(key, st);
    }
    for (const v of st.all(...chunk) as string[]) found.add(v);
  }
  return found;
}

/**
 * `importParsedRunInTransaction` for many runs at once, with the same end state as importing them one by one in
 * order: runs that are new to the store and share their content hash with no other run (stored or in `runs`) — the
 * common case of a first import — are written table by table with one prepared statement each (runs, points, rollups, artifacts, findings)
 * after two lookups for the whole batch; the health rules are evaluated on them in memory (no duplicate to find).
 * Every other run (an id already stored or repeated, a shared hash) is imported one by one after them, which
 * re-evaluates `duplicate` on the runs sharing its hash as usual. Call inside a write transaction that rolls back
 * as a whole if this throws.
 */
export function importRunsInTransaction(
  tracker: Tracker,
  runs: readonly ImportRun[],
): { id: string; anomalies: string[] }[] {
  const sqlite = tracker.sql;
  const ids = runs.map((r) => r.id);
  const hashes = runs.map((r) => r.contentHash).filter((h): h is string => !!h);
  const storedIds = existing(sqlite, 'runs', 'id', ids);
  const storedHashes = existing(sqlite, 'runs', 'content_hash', hashes);
  const count = (xs: (string | null | undefined)[]) => {
    const m = new Map<string, number>();
    for (const x of xs) if (x) m.set(x, (m.get(x) ?? 0) + 1);
    return m;
  };
  const idCount = count(ids);
  const hashCount = count(hashes);
  const isFast = (r: ImportRun) =>
    !storedIds.has(r.id) &&
    idCount.get(r.id) === 1 &&
    (!r.contentHash || (!storedHashes.has(r.contentHash) && hashCount.get(r.contentHash) === 1));

  const now = Date.now();
  const results = new Map<ImportRun, { id: string; anomalies: string[] }>();
  const experiments = new Set<string>();
  const runRows: unknown[][] = [];
  const metrics: unknown[][] = [];
  const rollups: unknown[][] = [];
  const artifacts: unknown[][] = [];
  const anomalies: unknown[][] = [];
  for (const r of runs) {
    if (!isFast(r)) continue;
    const rows = buildRunRows(r, now);
    experiments.add(r.experiment);
    runRows.push(rows.run);
    for (const m of rows.metrics) metrics.push(m);
    for (const m of rows.rollups) rollups.push(m);
    for (const a of rows.artifacts) artifacts.push(a);
    const findings =
      r.status !== 'RUNNING'
        ? evaluateRules({ ...rows.facts, duplicateOf: [] }, tracker.settings.health)
        : [];
    for (const x of findings)
      anomalies.push([r.id, x.rule, severityOf(x.rule), x.firstStep, encodeJson(x.evidence), now]);
    results.set(r, { id: r.id, anomalies: findings.map((x) => x.rule) });
  }
  // see insertBulk: one row per statement on SQLite, multi-row on PostgreSQL
  insertBulk(
    sqlite,
    'experiments',
    ['name', 'created_at'],
    [...experiments].map((name) => [name, now]),
    { onConflictDoNothing: true },
  );
  insertBulk(sqlite, 'runs', RUN_COLUMNS, runRows);
  insertBulk(sqlite, 'metrics', METRIC_COLUMNS, metrics);
  insertBulk(sqlite, 'metric_rollups', ROLLUP_COLUMNS, rollups);
  insertBulk(sqlite, 'artifacts', ARTIFACT_COLUMNS, artifacts);
  insertBulk(sqlite, 'anomalies', ANOMALY_COLUMNS, anomalies);
  for (const r of runs) if (!results.has(r)) results.set(r, importParsedRunInTransaction(tracker, r));
  return runs.map((r) => results.get(r)!);
}
