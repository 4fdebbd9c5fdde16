import { ingestDir, legacyFilesRoute, listWatchers } from '@kelly/legacy';
import { fixture } from '@kelly/test-support';
import { createToken, openTracker, serveTrackingApi, type Tracker } from '@kelly/tracking';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { WATCHER_ENTRY, WATCHER_NODE_FLAGS } from '../src/node-flags';

const legacyLogs = fixture('legacy-logs');
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const tmp = mkdtempSync(join(tmpdir(), 'kelly-remote-watcher-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The watcher process as the nx `watch` target starts it, with extra flags and environment. */
function startWatcher(args: string[], env: Record<string, string> = {}) {
  const child = spawn('node', [...WATCHER_NODE_FLAGS, WATCHER_ENTRY, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exit, out: () => out, err: () => err };
}

async function until(what: string, check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const count = (t: Tracker, table: string) =>
  t.sql.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

describe.skipIf(!legacyLogs.present)(`the watcher process with --tracking-uri (${legacyLogs.needs})`, () => {
  it('imports the folder into the server, then a new file; SIGTERM stops it and its record', async () => {
    const logs = join(tmp, 'logs');
    cpSync(legacyLogs.path, logs, { recursive: true });
    const server = openTracker({ path: join(tmp, 'server.db'), handleSignals: false });
    const local = openTracker({ path: join(tmp, 'local.db'), handleSignals: false });
    const srv = await serveTrackingApi({ tracker: server, port: 0, routes: [legacyFilesRoute(server)] });
    const w = startWatcher(['--dir', logs, '--host-label', 'runner-2', '--stability-ms', '200'], {
      KELLY_TRACKING_URI: srv.url,
    });
    try {
      await until('the watch to start', () => w.out().includes('watching '));
      expect(w.out()).toContain(`into ${srv.url}`);
      const expected = await ingestDir(local, logs);
      expect(count(server, 'ingest_files')).toBe(expected.files.length);
      expect(count(server, 'runs')).toBe(count(local, 'runs'));

      const src = JSON.parse(
        readFileSync(join(logs, 'groovepredictor_20260104_064832.json'), 'utf8'),
      ) as Record<string, unknown>;
      writeFileSync(
        join(logs, 'groovepredictor_20260106_090000.json'),
        JSON.stringify({ ...src, run_id: 'groovepredictor_20260106_090000' }),
      );
      await until('the new file on the server', () =>
        Boolean(server.sql.prepare(`SELECT 1 FROM runs WHERE id = ?`).get('groovepredictor_20260106_090000')),
      );
      expect(
        server.sql
          .prepare(`SELECT path FROM ingest_files WHERE run_id = ?`)
          .pluck()
          .get('groovepredictor_20260106_090000'),
      ).toBe(`runner-2:${logs}/groovepredictor_20260106_090000.json`);
      expect(listWatchers(server)[0]).toMatchObject({ host: 'runner-2', state: 'running' });
      w.child.kill('SIGTERM');
      expect(await w.exit).toBe(0);
      expect(listWatchers(server)[0]?.state).toBe('stopped');
    } finally {
      w.child.kill('SIGKILL');
      await srv.close();
      server.close();
      local.close();
    }
  });

  it('a wrong token: exit 1 with the 401 on stderr, nothing recorded', async () => {
    const server = openTracker({ path: join(tmp, 'locked.db'), handleSignals: false });
    createToken(server.sql, { scope: 'write' });
    const srv = await serveTrackingApi({ tracker: server, port: 0, routes: [legacyFilesRoute(server)] });
    try {
      const w = startWatcher(['--dir', legacyLogs.path, '--tracking-uri', srv.url], {
        KELLY_TRACKING_TOKEN: `kelly_0123456789ab_${'x'.repeat(43)}`,
      });
      expect(await w.exit).toBe(1);
      expect(w.err()).toMatch(
        /^legacy-watcher: 401 from .*\/api\/tracking\/legacy\/watchers: the token is not known/,
      );
      expect(count(server, 'watchers')).toBe(0);
    } finally {
      await srv.close();
      server.close();
    }
  });
});
