import { spawnWatched, testStoreLocation } from '@kelly/test-support';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getRun, openTracker } from '../src/index';

const child = join(import.meta.dirname, 'children', 'log-child.ts');
const dir = mkdtempSync(join(tmpdir(), 'kelly-mp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const spawnChild = (args: string[]) =>
  spawnWatched(['--import', 'tsx', child, ...args], { name: 'log-child' });

const countPoints = (db: string, runId: string) => {
  const t = openTracker({ path: db, handleSignals: false });
  try {
    return (t.sql.prepare('SELECT count(*) AS n FROM metrics WHERE run_id = ?').get(runId) as { n: number })
      .n;
  } finally {
    t.close();
  }
};

describe('several processes, one database', () => {
  it('8 processes opening one fresh file at the same moment all open it (WAL switch and migrations race)', async () => {
    for (const round of [1, 2, 3]) {
      const db = testStoreLocation(dir, `fresh-${round}.db`);
      const kids = Array.from({ length: 8 }, () => spawnChild([db, 'complete', '1']));
      const results = await Promise.all(kids.map((k) => k.exited));
      for (const r of results) expect(r, r.err).toMatchObject({ code: 0 });
      const t = openTracker({ path: db, handleSignals: false });
      try {
        const n = t.sql.prepare('SELECT count(*) AS n FROM runs').get() as { n: number };
        expect(n.n).toBe(8);
        expect(t.sql.pragma?.('journal_mode', { simple: true })).toBe(
          t.sql.dialect === 'sqlite' ? 'wal' : undefined,
        );
      } finally {
        t.close();
      }
    }
  }, 120_000);

  it('4 processes logging at once: every point is there, no SQLITE_BUSY reaches them', async () => {
    const db = testStoreLocation(dir, 'four.db'); // fresh file: the 4 children also race on the migrations
    const points = 2000;
    const kids = Array.from({ length: 4 }, () => spawnChild([db, 'complete', String(points)]));
    const results = await Promise.all(kids.map((k) => k.exited));
    for (const r of results) expect(r, r.err).toMatchObject({ code: 0 });
    const ids = await Promise.all(kids.map((k) => k.waitFor(/done (\S+)/).then((m) => m[1]!)));
    const t = openTracker({ path: db, handleSignals: false });
    try {
      for (const id of ids) {
        const run = getRun(t, id);
        expect(run.status).toBe('FINISHED');
        expect(run.metrics.map((m) => [m.key, m.count])).toEqual([
          ['loss', points],
          ['val_loss', points],
        ]);
        const steps = t.sql
          .prepare(`SELECT DISTINCT step FROM metrics WHERE run_id = ? AND key = 'loss' ORDER BY step`)
          .pluck()
          .all(id);
        expect(steps).toEqual(Array.from({ length: points }, (_, i) => i));
      }
    } finally {
      t.close();
    }
  });

  it('a SIGKILLed run reads CRASHED after the stale window, with every point flushed before the kill', async () => {
    const db = testStoreLocation(dir, 'kill.db');
    const k = spawnChild([db, 'hang', '300', '1']);
    const [, runId] = await k.waitFor(/flushed (\S+) 300/);
    const before = countPoints(db, runId!);
    expect(before).toBeGreaterThanOrEqual(600);
    k.proc.kill('SIGKILL');
    await k.exited;
    const t = openTracker({ path: db, staleAfterS: 60, handleSignals: false });
    try {
      // the child's last heartbeat is now at the latest: a sweep one stale window (60 s) later marks it
      expect(getRun(t, runId!).status).toBe('RUNNING');
      expect(getRun(t, runId!, { now: Date.now() + 61_000 }).status).toBe('CRASHED'); // shown, not stored
      expect(t.sweepStale(Date.now() + 61_000)).toEqual([runId]);
      const run = getRun(t, runId!);
      expect(run.status).toBe('CRASHED');
      expect(run.errorMessage).toMatch(/no heartbeat/);
      expect(run.endedAt).not.toBeNull();
      const after = (
        t.sql.prepare('SELECT count(*) AS n FROM metrics WHERE run_id = ?').get(runId) as { n: number }
      ).n;
      expect(after).toBeGreaterThanOrEqual(before);
      const steps = t.sql
        .prepare(`SELECT step FROM metrics WHERE run_id = ? AND key = 'loss' AND step < 300 ORDER BY step`)
        .pluck()
        .all(runId);
      expect(steps).toEqual(Array.from({ length: 300 }, (_, i) => i));
    } finally {
      t.close();
    }
  });

  it('SIGINT marks the run KILLED, flushes the buffered points and the process still dies of SIGINT', async () => {
    const db = testStoreLocation(dir, 'int.db');
    const k = spawnChild([db, 'hang', '100']);
    const [, runId] = await k.waitFor(/buffered (\S+)/);
    k.proc.kill('SIGINT');
    const exit = await k.exited;
    expect(exit.signal).toBe('SIGINT');
    const t = openTracker({ path: db, handleSignals: false });
    try {
      const run = getRun(t, runId!);
      expect(run.status).toBe('KILLED');
      expect(run.errorMessage).toBe('received SIGINT');
      const maxStep = t.sql
        .prepare(`SELECT max(step) FROM metrics WHERE run_id = ? AND key = 'loss'`)
        .pluck()
        .get(runId) as number;
      expect(maxStep).toBeGreaterThanOrEqual(104); // the points logged after the last explicit flush are there
      const n = t.sql
        .prepare(`SELECT count(*) FROM metrics WHERE run_id = ? AND key = 'loss'`)
        .pluck()
        .get(runId);
      expect(n).toBe(maxStep + 1); // no gap
      // the app's onSignal hook ran before the run was closed
      expect(
        t.sql
          .prepare(`SELECT count(*) FROM metrics WHERE run_id = ? AND key = 'checkpoint_saved'`)
          .pluck()
          .get(runId),
      ).toBe(1);
    } finally {
      t.close();
    }
  });

  it('process.exit without end(): the exit hook flushes and closes the run as FAILED with the exit code', async () => {
    const db = testStoreLocation(dir, 'exit.db');
    const k = spawnChild([db, 'exit', '123']);
    const exit = await k.exited;
    expect(exit.code).toBe(3);
    const [, runId] = await k.waitFor(/exiting (\S+)/);
    const t = openTracker({ path: db, handleSignals: false });
    try {
      const run = getRun(t, runId!);
      expect(run).toMatchObject({ status: 'FAILED', errorType: 'ProcessExit' });
      expect(run.errorMessage).toMatch(/exited with code 3/);
      expect(run.metrics.map((m) => m.count)).toEqual([123, 123]);
    } finally {
      t.close();
    }
  });
});
