import { legacyFilesRoute } from '@kelly/legacy';
import { registryModelHistory } from '@kelly/registry';
import { createTrackingApi, type TrackingApi } from '@kelly/tracking';
import { readEnv } from '../env';
import { getTracker } from './tracker';

let api: TrackingApi | undefined;

/**
 * The `/api/tracking/` API over the dashboard's tracker, created on the first request. Its creation also starts
 * the heartbeat sweep (every staleAfterS/4), so a remote run whose client died is marked CRASHED even while
 * nobody reads. Tokens are required when the dashboard listens beyond loopback (KELLY_TRACKING_REQUIRE_TOKEN,
 * set by serve.ts) or once any token was created.
 */
export function getTrackingApi(): TrackingApi {
  if (!api) {
    const tracker = getTracker();
    api = createTrackingApi(tracker, {
      requireToken: readEnv().KELLY_TRACKING_REQUIRE_TOKEN === '1',
      // legacy logs from remote watchers (`kelly watch --tracking-uri`); old registry files become model history
      routes: [legacyFilesRoute(tracker, { onDocument: registryModelHistory(tracker) })],
    });
    const sweep = setInterval(
      () => {
        try {
          tracker.sweepStale();
        } catch (e) {
          tracker.settings.onBackgroundError(e);
        }
      },
      (tracker.settings.staleAfterS * 1000) / 4,
    );
    sweep.unref();
  }
  return api;
}
