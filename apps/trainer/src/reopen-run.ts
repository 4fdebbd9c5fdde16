import { decodeJson, Run, type Tracker } from '@kelly/tracking';

export interface StoredRun {
  id: string;
  experiment: string;
  status: string;
  startedAt: number;
  config: unknown;
}

/** The run row `--resume` needs, or null when the id is unknown. */
export function readStoredRun(tracker: Tracker, id: string): StoredRun | null {
  tracker.sweepStale();
  const row = tracker.sqlite
    .prepare(`SELECT id, experiment, status, started_at, config FROM runs WHERE id = ?`)
    .get(id) as
    { id: string; experiment: string; status: string; started_at: number; config: string | null } | undefined;
  if (!row) return null;
  return {
    id: row.id,
    experiment: row.experiment,
    status: row.status,
    startedAt: row.started_at,
    config: row.config ? decodeJson(row.config) : null,
  };
}

/**
 * Puts a KILLED / FAILED / CRASHED run back to RUNNING (clearing its error) and returns a live Run object
 * for it, so `--resume` continues the SAME run: its metrics, artifacts and anomalies stay in one place.
 */
export function reopenRun(tracker: Tracker, stored: StoredRun): Run {
  const now = Date.now();
  tracker.sqlite
    .prepare(
      `UPDATE runs SET status = 'RUNNING', ended_at = NULL, duration_s = NULL, heartbeat_at = ?, pid = ?,
         error_type = NULL, error_message = NULL, error_stack = NULL WHERE id = ?`,
    )
    .run(now, process.pid, stored.id);
  return new Run(tracker, stored.id, stored.experiment, stored.startedAt);
}
