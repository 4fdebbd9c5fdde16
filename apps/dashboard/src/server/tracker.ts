import { openTracker, type Tracker } from '@kelly/tracking';
import { readEnv } from '../env';

let tracker: Tracker | undefined;

/**
 * The server process's one tracker over <KELLY_HOME>/tracking.db, opened on first use (never at build
 * time) and kept for the life of the process: a SQLite handle is cheap to keep and costly to reopen.
 * Signal handlers stay Next's: the dashboard never owns a run. Its queries write nothing; the server sweeps
 * stale runs on a timer (every KELLY_STALE_AFTER_S / 2), storing the crash that reads already show.
 */
export function getTracker(): Tracker {
  if (!tracker) {
    const env = readEnv();
    tracker = openTracker({
      envHome: env.KELLY_HOME,
      envDatabaseUrl: env.KELLY_DATABASE_URL,
      staleAfterS: env.KELLY_STALE_AFTER_S,
      handleSignals: false,
    });
    tracker.sweepEvery();
  }
  return tracker;
}
