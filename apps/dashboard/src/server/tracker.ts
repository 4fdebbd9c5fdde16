import { openTracker, type Tracker } from '@kelly/tracking';
import { readEnv } from '../env';

let tracker: Tracker | undefined;

/**
 * The server process's one tracker over <KELLY_HOME>/tracking.db, opened on first use (never at build
 * time) and kept for the life of the process: a SQLite handle is cheap to keep and costly to reopen.
 * Signal handlers stay Next's: the dashboard never owns a run.
 */
export function getTracker(): Tracker {
  if (!tracker) {
    const env = readEnv();
    tracker = openTracker({
      envHome: env.KELLY_HOME,
      staleAfterS: env.KELLY_STALE_AFTER_S,
      handleSignals: false,
    });
  }
  return tracker;
}
