/**
 * Faults and load through real server processes: concurrent trainer-like clients, kill -9 of the server
 * mid-run (the spool + idempotency keys must lose nothing and duplicate nothing), a client killed with SIGKILL
 * (the server's heartbeat sweep marks its run CRASHED), a wrong token (401, the client keeps spooling), two
 * servers on one store. The servers' store comes from testStoreLocation: a SQLite file, or in tracking@pg a
 * PostgreSQL database (#17 item 4: the same faults with the server on PostgreSQL).
 */
import { spawnWatched, testStoreLocation } from '@kelly/test-support';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createToken, openTracker } from '../src/index';

const dir = mkdtempSync(join(tmpdir(), 'kelly-remote-faults-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function spawnChild(script: string, args: string[]) {
  const c = spawnWatched(['--import', 'tsx', join(import.meta.dirname, 'children', script), ...args], {
    name: script,
    timeoutMs: 120_000,
  });
  children.push(c.proc);
  return c;
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/** The store of a server home: <home>/tracking.db, or its PostgreSQL database in tracking@pg. */
const storeOf = (home: string) => testStoreLocation(home, 'tracking.db');
const openStoreOf = (home: string) => openTracker({ home, path: storeOf(home), handleSignals: false });

async function startServer(home: string, port: number, staleAfterS = 60, store = storeOf(home)) {
  const s = spawnChild('server-child.ts', [home, String(port), String(staleAfterS), store]);
  const url = (await s.waitFor(/listening (\S+)/))[1]!;
  return { ...s, url };
}

/** Per run: points stored, distinct (key, step) pairs, status, and the top rollup level's total count. */
function stored(home: string, runIds: string[]) {
  const t = openStoreOf(home);
  try {
    return runIds.map((id) => ({
      points: t.sql.prepare('SELECT count(*) FROM metrics WHERE run_id = ?').pluck().get(id),
      distinct: t.sql
        .prepare('SELECT count(*) FROM (SELECT DISTINCT key, step FROM metrics WHERE run_id = ?) AS d')
        .pluck()
        .get(id),
      rollupCount: t.sql
        .prepare(
          'SELECT sum(count) FROM metric_rollups WHERE run_id = ? AND level = (SELECT max(level) FROM metric_rollups WHERE run_id = ?)',
        )
        .pluck()
        .get(id, id),
      status: t.sql.prepare('SELECT status FROM runs WHERE id = ?').pluck().get(id),
    }));
  } finally {
    t.close();
  }
}

describe('remote logging under load and faults (real server process)', () => {
  it('8 concurrent trainer processes through one server lose no point', async () => {
    const home = join(dir, 'eight');
    const server = await startServer(home, 0);
    const steps = 5000;
    const clients = Array.from({ length: 8 }, (_, i) =>
      spawnChild('remote-log-child.ts', [
        server.url,
        join(dir, `eight-client-${i}`),
        String(steps),
        'complete',
        '500',
      ]),
    );
    const done = await Promise.all(clients.map((c) => c.waitFor(/done (\S+) (true|false)/)));
    expect(done.map((m) => m[2])).toEqual(Array(8).fill('true'));
    const ids = done.map((m) => m[1]!);
    expect(new Set(ids).size).toBe(8);
    expect(stored(home, ids)).toEqual(
      ids.map(() => ({ points: 2 * steps, distinct: 2 * steps, rollupCount: 2 * steps, status: 'FINISHED' })),
    );
    server.proc.kill('SIGKILL');
  }, 240_000);

  it('kill -9 of the server mid-run, then a restart: no point lost, none duplicated', async () => {
    const home = join(dir, 'kill9');
    const port = await freePort();
    const first = await startServer(home, port);
    const steps = 30_000;
    const clients = Array.from({ length: 3 }, (_, i) =>
      spawnChild('remote-log-child.ts', [
        first.url,
        join(dir, `kill9-client-${i}`),
        String(steps),
        'complete',
        '250',
      ]),
    );
    await clients[0]!.waitFor(/progress (\S+)/);
    first.proc.kill('SIGKILL');
    await first.exited;
    await new Promise((r) => setTimeout(r, 300)); // clients hit ECONNREFUSED and spool meanwhile
    const second = await startServer(home, port);
    const done = await Promise.all(clients.map((c) => c.waitFor(/done (\S+) (true|false)/)));
    expect(done.map((m) => m[2])).toEqual(['true', 'true', 'true']);
    const ids = done.map((m) => m[1]!);
    expect(stored(home, ids)).toEqual(
      ids.map(() => ({ points: 2 * steps, distinct: 2 * steps, rollupCount: 2 * steps, status: 'FINISHED' })),
    );
    second.proc.kill('SIGKILL');
  }, 240_000);

  it("a SIGKILLed client's run is marked CRASHED by the server's heartbeat sweep", async () => {
    const home = join(dir, 'crash');
    const server = await startServer(home, 0, 1);
    const client = spawnChild('remote-log-child.ts', [server.url, join(dir, 'crash-client'), '1000', 'hang']);
    const id = (await client.waitFor(/flushed (\S+)/))[1]!;
    expect(stored(home, [id])[0]).toMatchObject({ points: 2000, status: 'RUNNING' });
    client.proc.kill('SIGKILL');
    await client.exited;
    const t0 = Date.now();
    while (stored(home, [id])[0]!.status === 'RUNNING' && Date.now() - t0 < 20_000)
      await new Promise((r) => setTimeout(r, 100));
    expect(stored(home, [id])[0]).toMatchObject({ points: 2000, status: 'CRASHED' });
    server.proc.kill('SIGKILL');
  }, 120_000);

  it('a wrong token gets 401 and the client keeps its spool; a client with the right token replays it, every point once', async () => {
    const home = join(dir, 'tokens');
    const t = openStoreOf(home);
    const { token } = createToken(t.sql, { scope: 'write', name: 'remote-faults' });
    t.close();
    const server = await startServer(home, 0);
    const clientHome = join(dir, 'tokens-client');
    const steps = 3000;
    const wrong = spawnChild('remote-log-child.ts', [
      server.url,
      clientHome,
      String(steps),
      'spool',
      '500',
      `${token.slice(0, -4)}AAAA`,
    ]);
    const [, id, pending] = await wrong.waitFor(/spooled (\S+) (\d+)/);
    const { code, err } = await wrong.exited;
    expect(code).toBe(0);
    expect(err).toMatch(/401 .*the token is not known to this server/);
    // every operation of the run is still in the spool: start, 2 x 3000 points in batches of 500, end
    expect(Number(pending)).toBeGreaterThanOrEqual(2 + (2 * steps) / 500);
    expect(stored(home, [id!])[0]).toMatchObject({ points: 0, status: undefined });

    const replay = spawnChild('remote-log-child.ts', [server.url, clientHome, '0', 'replay', '500', token]);
    const [, adopted, drained] = await replay.waitFor(/replayed (\d+) (true|false)/);
    expect([Number(adopted), drained]).toEqual([Number(pending), 'true']);
    expect(stored(home, [id!])).toEqual([
      { points: 2 * steps, distinct: 2 * steps, rollupCount: 2 * steps, status: 'FINISHED' },
    ]);
    server.proc.kill('SIGKILL');
  }, 120_000);

  it('two servers on one store, clients logging to both at once: every run complete, every point once, no live run swept', async () => {
    const home = join(dir, 'two');
    // a short stale window (sweeps every 2.5 s on each server) that live clients' batches keep renewing
    const staleAfterS = 10;
    // server b has its own home (its artifacts) and server a's store
    const [a, b] = await Promise.all([
      startServer(home, 0, staleAfterS),
      startServer(`${home}-b`, 0, staleAfterS, storeOf(home)),
    ]);
    const steps = 4000;
    const clients = Array.from({ length: 6 }, (_, i) =>
      spawnChild('remote-log-child.ts', [
        (i % 2 ? b : a).url,
        join(dir, `two-client-${i}`),
        String(steps),
        'complete',
        '250',
      ]),
    );
    // a client that stays alive (heartbeats only) on a, and one that dies, on b
    const idle = spawnChild('remote-log-child.ts', [a.url, join(dir, 'two-idle'), '100', 'hang']);
    const dying = spawnChild('remote-log-child.ts', [b.url, join(dir, 'two-dying'), '100', 'hang']);
    const idleId = (await idle.waitFor(/flushed (\S+)/))[1]!;
    const dyingId = (await dying.waitFor(/flushed (\S+)/))[1]!;
    dying.proc.kill('SIGKILL');
    const crashedWhileRunning = new Set<string>();
    const t = openStoreOf(home);
    const crashed = t.sql.prepare(`SELECT id FROM runs WHERE status = 'CRASHED'`).pluck();
    const watch = setInterval(() => {
      for (const id of crashed.all() as string[]) crashedWhileRunning.add(id);
    }, 200);
    try {
      const done = await Promise.all(clients.map((c) => c.waitFor(/done (\S+) (true|false)/)));
      expect(done.map((m) => m[2])).toEqual(Array(6).fill('true'));
      const ids = done.map((m) => m[1]!);
      expect(stored(home, ids)).toEqual(
        ids.map(() => ({
          points: 2 * steps,
          distinct: 2 * steps,
          rollupCount: 2 * steps,
          status: 'FINISHED',
        })),
      );
      // the dead client's run is swept by one of the servers; the idle one, heartbeating, never is
      const t0 = Date.now();
      while (stored(home, [dyingId])[0]!.status === 'RUNNING' && Date.now() - t0 < 30_000)
        await new Promise((r) => setTimeout(r, 200));
      expect(stored(home, [dyingId, idleId]).map((r) => r.status)).toEqual(['CRASHED', 'RUNNING']);
      for (const id of crashed.all() as string[]) crashedWhileRunning.add(id);
      expect([...crashedWhileRunning]).toEqual([dyingId]);
    } finally {
      clearInterval(watch);
      t.close();
    }
    for (const s of [a, b, idle]) s.proc.kill('SIGKILL');
  }, 240_000);
});
