import type { SqlClient } from './db/sql-client';
import { decodeJson, encodeJson } from './db/json-column';
import type { JsonObject, RunStatus, runs } from './db/schema';
import type { SqlRow } from './db/sql-row';
import type { errorFields } from './run-error';

/** The tracker's hot statements, prepared once per connection. */
export function prepareTrackerStatements(sqlite: SqlClient) {
  return {
    insertMetric: sqlite.prepare(
      `INSERT INTO metrics (run_id, key, step, epoch, wall_time, value, flag) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertMetricColumns: metricColumnsInsert(sqlite),
    heartbeat: sqlite.prepare(
      `UPDATE runs SET heartbeat_at = @now, status = 'RUNNING', ended_at = NULL, duration_s = NULL
       WHERE id = @id AND status IN ('RUNNING', 'CRASHED')`,
    ),
    insertArtifact: sqlite.prepare(
      `INSERT INTO artifacts (run_id, kind, name, path, sha256, bytes, created_at)
       VALUES (@runId, @kind, @name, @path, @sha256, @bytes, @createdAt) RETURNING id`,
    ),
    staleRuns: sqlite.prepare(
      `SELECT id FROM runs WHERE status = 'RUNNING' AND coalesce(heartbeat_at, started_at) < ?`,
    ),
    crash: sqlite.prepare(
      `UPDATE runs SET status = 'CRASHED', ended_at = coalesce(heartbeat_at, started_at),
         duration_s = (coalesce(heartbeat_at, started_at) - started_at) / 1000.0,
         error_type = 'Crashed', error_message = @msg
       WHERE id = @id AND status = 'RUNNING' AND coalesce(heartbeat_at, started_at) < @cutoff`,
    ),
  };
}

/** One run's points as columns (same index = same point); `values[i]` null where `flags[i]` is not 0. */
export interface MetricColumns {
  keys: string[];
  steps: number[];
  epochs: (number | null)[];
  walls: number[];
  values: (number | null)[];
  flags: number[];
}

/**
 * PostgreSQL: a flush's points in ONE statement (UNNEST of column arrays, inserted in array order), since each
 * statement costs a round trip to the server. SQLite: null; its per-row prepared insert is the fastest way there.
 */
function metricColumnsInsert(sql: SqlClient): ((runId: string, c: MetricColumns) => void) | null {
  if (sql.dialect !== 'postgres') return null;
  const st = sql.prepare(
    `INSERT INTO metrics (run_id, key, step, epoch, wall_time, value, flag)
     SELECT ?::text, k, s, e, w, v, f
     FROM unnest(?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::float8[], ?::integer[])
       WITH ORDINALITY AS u(k, s, e, w, v, f, i)
     ORDER BY i`,
  );
  return (runId, c) => {
    // one array argument = the statement's 7 parameters (better-sqlite3's convention); 6 of them are arrays
    if (c.keys.length) st.run([runId, c.keys, c.steps, c.epochs, c.walls, c.values, c.flags]);
  };
}

/** A new RUNNING live run's row (and its experiment on first use). Call inside a write transaction. */
export function insertStartedRun(
  sqlite: SqlClient,
  r: {
    id: string;
    experiment: string;
    name: string | null;
    now: number;
    host: string;
    gitCommit: string | null;
    hardware: string | null;
    backend: string | null;
    system: JsonObject;
    tags: string[];
    notes: string | null;
    config: JsonObject;
    /** The logging process (default this one); a remote client sends its own. */
    pid?: number;
    /** Heartbeat time (default `now`); the server uses its own clock, as its stale sweep does. */
    heartbeatAt?: number;
  },
): void {
  sqlite
    .prepare(`INSERT INTO experiments (name, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING`)
    .run(r.experiment, r.now);
  sqlite
    .prepare(
      `INSERT INTO runs (id, experiment, name, status, source, started_at, heartbeat_at, pid, host, git_commit,
         hardware, backend, system, tags, notes, config)
       VALUES (?, ?, ?, 'RUNNING', 'live', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      r.id,
      r.experiment,
      r.name,
      r.now,
      r.heartbeatAt ?? r.now,
      r.pid ?? process.pid,
      r.host,
      r.gitCommit,
      r.hardware,
      r.backend,
      encodeJson(r.system),
      encodeJson(r.tags),
      r.notes,
      encodeJson(r.config),
    );
}

/** Merges `system` into the run's system JSON; `backend`/`hardware` strings also fill their columns. */
export function mergeSystemRow(sqlite: SqlClient, id: string, system: JsonObject): void {
  const row = sqlite.prepare(`SELECT system FROM runs WHERE id = ?`).get(id) as
    Pick<SqlRow<typeof runs>, 'system'> | undefined;
  const merged = { ...((row?.system ? decodeJson(row.system) : {}) as JsonObject), ...system };
  const str = (v: unknown) => (typeof v === 'string' ? v : null);
  sqlite
    .prepare(
      `UPDATE runs SET system = ?, backend = coalesce(?, backend), hardware = coalesce(?, hardware) WHERE id = ?`,
    )
    .run(encodeJson(merged), str(system.backend), str(system.hardware), id);
}

/** The final status, end time, duration and error of a run. */
export function finishRunRow(
  sqlite: SqlClient,
  id: string,
  status: RunStatus,
  error: ReturnType<typeof errorFields> | null,
  now: number,
): void {
  sqlite
    .prepare(
      `UPDATE runs SET status = ?, ended_at = ?, duration_s = (? - started_at) / 1000.0, heartbeat_at = ?,
         error_type = ?, error_message = ?, error_stack = ? WHERE id = ?`,
    )
    .run(
      status,
      now,
      now,
      now,
      error?.errorType ?? null,
      error?.errorMessage ?? null,
      error?.errorStack ?? null,
      id,
    );
}

/** The tracker's prepared statements. */
export type TrackerStatements = ReturnType<typeof prepareTrackerStatements>;
