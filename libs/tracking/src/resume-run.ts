import { bySql, type SqlClient } from './db/sql-client';
import { decodeValue } from './metric-value';
import { ROLLUP_LEVELS, RollupBuilder } from './metric-rollup';
import { RunNotFoundError } from './queries/run-item';
import type { runs } from './db/schema';
import type { SqlRow } from './db/sql-row';

/** Statuses a run can be resumed from. */
export const RESUMABLE_STATUSES = ['KILLED', 'FAILED', 'CRASHED'] as const;

/**
 * The rollups of a run's stored series as a builder that continues them: per key the point count, and the
 * open buckets rebuilt from the points since the last full top-level bucket (in logging order), so new points
 * extend the right buckets instead of overwriting bucket 0.
 */
export function rollupsFromStore(sqlite: SqlClient, runId: string): RollupBuilder {
  const builder = new RollupBuilder();
  const top = ROLLUP_LEVELS[ROLLUP_LEVELS.length - 1]!.size;
  const counts = sqlite
    .prepare(`SELECT key, count(*) AS n FROM metrics WHERE run_id = ? GROUP BY key`)
    .all(runId) as { key: string; n: number }[];
  const tail = sqlite
    .prepare(
      `SELECT step, epoch, wall_time, value, flag FROM metrics WHERE run_id = ? AND key = ? ORDER BY id
       ${bySql(sqlite, { sqlite: 'LIMIT -1', postgres: '' })} OFFSET ?`,
    )
    .raw();
  for (const { key, n } of counts) {
    const start = Math.floor((n - 1) / top) * top;
    builder.skip(key, start);
    for (const [step, epoch, wall, value, flag] of tail.all(runId, key, start) as [
      number,
      number | null,
      number,
      number | null,
      number,
    ][])
      builder.add(key, step, epoch, wall, decodeValue(value, flag));
  }
  return builder;
}

/**
 * Puts a KILLED / FAILED / CRASHED live run back to RUNNING (end, duration and error cleared, heartbeat and pid
 * set). Call inside a write transaction. Returns what a `Run` object for it needs.
 * @throws RunNotFoundError for an unknown id; an Error naming the status or source when it cannot resume.
 */
export function reopenRunRow(
  sqlite: SqlClient,
  id: string,
  now: number,
  host: string,
  pid = process.pid,
): { experiment: string; startedAt: number; rollups: RollupBuilder } {
  const row = sqlite
    .prepare(`SELECT experiment, status, source, started_at FROM runs WHERE id = ?`)
    .get(id) as Pick<SqlRow<typeof runs>, 'experiment' | 'status' | 'source' | 'started_at'> | undefined;
  if (!row) throw new RunNotFoundError(id);
  if (row.source !== 'live')
    throw new Error(`run ${id} is a ${row.source} run; only live runs can be resumed`);
  if (!(RESUMABLE_STATUSES as readonly string[]).includes(row.status))
    throw new Error(`run ${id} is ${row.status}; only ${RESUMABLE_STATUSES.join(', ')} runs can be resumed`);
  sqlite
    .prepare(
      `UPDATE runs SET status = 'RUNNING', ended_at = NULL, duration_s = NULL, heartbeat_at = ?, pid = ?, host = ?,
         error_type = NULL, error_message = NULL, error_stack = NULL WHERE id = ?`,
    )
    .run(now, pid, host, id);
  return { experiment: row.experiment, startedAt: row.started_at, rollups: rollupsFromStore(sqlite, id) };
}
