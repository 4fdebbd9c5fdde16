import { fixture, testStoreLocation } from '@kelly/test-support';
import { openTracker, type Tracker } from '@kelly/tracking';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The real logs and old Kelly files in ../shared/fixtures (suites skip naming them when absent). */
export const legacyLogs = fixture('legacy-logs');
export const kellyFixtures = fixture('kelly');
export const LEGACY_LOGS = legacyLogs.path;
export const KELLY = kellyFixtures.path;

/**
 * A temp folder and a tracker on a real store: a SQLite file inside the folder, or a fresh PostgreSQL database in
 * legacy@pg (testStoreLocation); `done()` closes the tracker and removes the folder.
 */
export function tempStore(): { root: string; tracker: Tracker; done(): void } {
  const root = mkdtempSync(join(tmpdir(), 'kelly-legacy-'));
  const tracker = openTracker({ path: testStoreLocation(root, 'tracking.db'), handleSignals: false });
  return {
    root,
    tracker,
    done() {
      tracker.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Anomaly rule names per run id. */
export function anomaliesByRun(tracker: Tracker): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of tracker.sql.prepare(`SELECT id FROM runs`).all() as { id: string }[]) out.set(r.id, []);
  for (const a of tracker.sql
    .prepare(`SELECT run_id AS "runId", rule FROM anomalies ORDER BY rule`)
    .all() as {
    runId: string;
    rule: string;
  }[])
    out.get(a.runId)?.push(a.rule);
  return out;
}

export function count(tracker: Tracker, table: string): number {
  return (tracker.sql.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

/** Waits (bounded) until `check` returns a value that is not undefined; fails with `what` after `timeoutMs`. */
export async function until<T>(what: string, check: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
