import { readRun, type TrackingClient } from '@kelly/tracking';

export interface StoredRun {
  id: string;
  experiment: string;
  status: string;
  startedAt: number;
  config: unknown;
}

/** The run row `--resume` needs (from the local store or the server), or null when the id is unknown. */
export async function readStoredRun(tracker: TrackingClient, id: string): Promise<StoredRun | null> {
  const run = await readRun(tracker, id);
  return run
    ? {
        id: run.id,
        experiment: run.experiment,
        status: run.status,
        startedAt: run.startedAt,
        config: run.config,
      }
    : null;
}
