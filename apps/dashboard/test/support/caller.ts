/**
 * A router caller over a freshly seeded KELLY_HOME in a temp folder (router tests). Its store comes from
 * testStoreLocation: <home>/tracking.db, or a fresh PostgreSQL database in the dashboard@pg project.
 */
import { checkNativeModel } from '@kelly/rtneural-native';
import { testStoreLocation } from '@kelly/test-support';
import { openTracker, type Tracker } from '@kelly/tracking';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContextInner } from '../../src/server/context';
import { createCaller } from '../../src/server/root';
import { seedDashboard, VENDOR_RTNEURAL } from './seed';

export interface SeededCaller {
  home: string;
  /** The store: a SQLite file or a postgres:// URL. */
  store: string;
  tracker: Tracker;
  caller: ReturnType<typeof createCaller>;
  close(): void;
}

export async function seededCaller(): Promise<SeededCaller> {
  const home = mkdtempSync(join(tmpdir(), 'kelly-dash-'));
  const store = testStoreLocation(home, 'tracking.db');
  await seedDashboard(home, store);
  const tracker = openTracker({ home, path: store, handleSignals: false });
  return {
    home,
    store,
    tracker,
    caller: createCaller(
      createContextInner({
        tracker,
        // the real native runner, built against the vendored checkout (the server reads KELLY_RTNEURAL_DIR)
        loadNativeCheck: async () => (input) =>
          checkNativeModel({ ...input, heldOut: input.heldOutPath, rtneuralDir: VENDOR_RTNEURAL }),
      }),
    ),
    close: () => {
      tracker.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
