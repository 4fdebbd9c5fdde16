/**
 * A live run whose process died (SIGKILL, out of memory, power loss) stays RUNNING in the store with a heartbeat
 * that stopped. Reads show it as CRASHED at once (computed, nothing written); the processes that own writes (the
 * dashboard server on a timer, the CLI's write commands, the watcher, trainers starting runs) store it with
 * `Tracker.sweepStale`, which writes exactly the fields shown here.
 */
import type { RunStatus } from './db/schema';

/** The error message of a run found stale after `staleAfterS` seconds without a heartbeat. */
export const crashMessage = (staleAfterS: number): string =>
  `no heartbeat for more than ${staleAfterS} s: the process died (SIGKILL, out of memory, power loss)`;

/** When a read looks: runs whose last heartbeat (else start) is before `cutoff` (Unix ms) read as CRASHED. */
export interface StaleView {
  cutoff: number;
  staleAfterS: number;
}

/** The view of a tracker with stale window `staleAfterS`, at `now` (Unix ms, default the clock). */
export function staleView(staleAfterS: number, now = Date.now()): StaleView {
  return { cutoff: Math.floor(now - staleAfterS * 1000), staleAfterS };
}

/** SQL for the status of `runs` row `alias` as a read shows it (the cutoff is written in as an integer). */
export function seenStatusSql(alias: string, view: StaleView): string {
  return `CASE WHEN ${alias}.status = 'RUNNING' AND ${staleSql(alias, view)} THEN 'CRASHED' ELSE ${alias}.status END`;
}

/** SQL: row `alias` is RUNNING-but-stale, or (`stale` false) RUNNING and alive. */
export function runningSql(alias: string, view: StaleView, stale: boolean): string {
  return `(${alias}.status = 'RUNNING' AND ${stale ? '' : 'NOT '}${staleSql(alias, view)})`;
}

/** A RUNNING run last heard of (heartbeat, else start; Unix ms) before the view's cutoff is stale. */
export function isStale(
  run: { status: RunStatus; startedAt: number; heartbeatAt: number | null },
  view: StaleView,
): boolean {
  return run.status === 'RUNNING' && (run.heartbeatAt ?? run.startedAt) < view.cutoff;
}

const staleSql = (alias: string, view: StaleView) =>
  `coalesce(${alias}.heartbeat_at, ${alias}.started_at) < ${Math.floor(view.cutoff)}`;

/** The run fields a crash changes, as stored (snake_case) rows carry them. */
export interface CrashFields {
  status: RunStatus;
  started_at: number;
  heartbeat_at: number | null;
  ended_at: number | null;
  duration_s: number | null;
  error_type: string | null;
  error_message: string | null;
}

/** `row` as a read shows it: a stale RUNNING row comes back CRASHED with the fields a sweep would store. */
export function asSeen<R extends CrashFields>(row: R, view: StaleView): R {
  const last = row.heartbeat_at ?? row.started_at;
  if (row.status !== 'RUNNING' || !(last < view.cutoff)) return row;
  return {
    ...row,
    status: 'CRASHED',
    ended_at: last,
    duration_s: (last - row.started_at) / 1000,
    error_type: 'Crashed',
    error_message: crashMessage(view.staleAfterS),
  };
}
