import { getRun, RunNotFoundError, type Tracker } from '@kelly/tracking';

export interface StoredRun {
  id: string;
  experiment: string;
  status: string;
  startedAt: number;
  config: unknown;
}

/** The run row `--resume` needs (through the shared `getRun` query), or null when the id is unknown. */
export function readStoredRun(tracker: Tracker, id: string): StoredRun | null {
  try {
    const run = getRun(tracker, id);
    return {
      id: run.id,
      experiment: run.experiment,
      status: run.status,
      startedAt: run.startedAt,
      config: run.config,
    };
  } catch (e) {
    if (e instanceof RunNotFoundError) return null;
    throw e;
  }
}
