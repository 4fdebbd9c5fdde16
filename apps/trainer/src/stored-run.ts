import { decodeJson, type Tracker } from '@kelly/tracking';

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
