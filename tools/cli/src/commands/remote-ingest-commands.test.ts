import { legacyFilesRoute } from '@kelly/legacy';
import { registryModelHistory } from '@kelly/registry';
import { fixture, spawnWatched } from '@kelly/test-support';
import { createToken, openTracker, serveTrackingApi, type Tracker } from '@kelly/tracking';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../main';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '../../bin/kelly.mjs');
const legacyLogs = fixture('legacy-logs');
const kellyFiles = fixture('kelly');
const dir = mkdtempSync(join(tmpdir(), 'kelly-cli-remote-ingest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function kelly(args: string[], env: Record<string, string> = {}) {
  let out = '';
  let err = '';
  const code = await main(
    ['node', 'kelly', ...args],
    { out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n') },
    env,
  );
  return { code, out, err };
}

const count = (t: Tracker, table: string) =>
  t.sql.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

interface IngestDoc {
  dir: string;
  server?: string;
  files: {
    path: string;
    outcome: string;
    runId: string | null;
    runStatus: string | null;
    changed: boolean;
  }[];
  totals: Record<string, number>;
}

describe.skipIf(!legacyLogs.present || !kellyFiles.present)(
  `kelly ingest --tracking-uri (a real server; ${legacyLogs.needs}, ${kellyFiles.needs})`,
  () => {
    it('prints the same --json as a local ingest; registry files become model history on the server; a re-run changes nothing', async () => {
      const logs = join(dir, 'logs');
      cpSync(legacyLogs.path, logs, { recursive: true });
      cpSync(
        join(kellyFiles.path, 'registry-2025-12-23-v1.1-seven-models.json'),
        join(logs, 'models', 'registry.json'),
      );
      const serverTracker = openTracker({ home: join(dir, 'server'), handleSignals: false });
      const srv = await serveTrackingApi({
        tracker: serverTracker,
        port: 0,
        routes: [legacyFilesRoute(serverTracker, { onDocument: registryModelHistory(serverTracker) })],
      });
      try {
        const client = join(dir, 'client-home');
        const remote = await kelly([
          '--home',
          client,
          '--tracking-uri',
          srv.url,
          'ingest',
          logs,
          '--json',
          '--host-label',
          'ci-runner',
        ]);
        expect(remote.err).not.toMatch(/error/);
        expect(remote.code).toBe(0);
        const local = await kelly(['--home', join(dir, 'local-home'), 'ingest', logs, '--json']);
        const r = JSON.parse(remote.out) as IngestDoc;
        const l = JSON.parse(local.out) as IngestDoc;
        expect(r).toMatchObject({ dir: `ci-runner:${logs}`, server: srv.url });
        expect(r.files).toEqual(l.files);
        expect(r.totals).toEqual(l.totals);
        expect(r.files.find((f) => f.path === 'models/registry.json')).toMatchObject({ outcome: 'ignored' });
        const localTracker = openTracker({ home: join(dir, 'local-home'), handleSignals: false });
        const versions = count(localTracker, 'model_versions');
        localTracker.close();
        expect(versions).toBeGreaterThan(0);
        expect(count(serverTracker, 'model_versions')).toBe(versions);

        const again = await kelly(['--tracking-uri', srv.url, 'ingest', logs, '--host-label', 'ci-runner']);
        expect(again.code).toBe(0);
        expect(again.out).toMatch(
          new RegExp(
            `${r.files.length} file\\(s\\) in ci-runner:.* on ${srv.url}: .*\\(${r.files.length} unchanged since the last pass\\)`,
          ),
        );
      } finally {
        await srv.close();
        serverTracker.close();
      }
    });

    it('a wrong token: one clear line naming the 401, exit 1; a bad --host-label: exit 2', async () => {
      const serverTracker = openTracker({ home: join(dir, 'locked'), handleSignals: false });
      createToken(serverTracker.sql, { scope: 'write' });
      const srv = await serveTrackingApi({
        tracker: serverTracker,
        port: 0,
        routes: [legacyFilesRoute(serverTracker)],
      });
      try {
        const r = await kelly(['--tracking-uri', srv.url, 'ingest', legacyLogs.path], {
          KELLY_TRACKING_TOKEN: `kelly_0123456789ab_${'x'.repeat(43)}`,
        });
        expect(r.code).toBe(1);
        expect(r.err).toMatch(
          /^kelly: 401 from http:\/\/127\.0\.0\.1:\d+\/api\/tracking\/legacy\/files: the token is not known to this server\n$/,
        );
        const bad = await kelly([
          '--tracking-uri',
          srv.url,
          'ingest',
          legacyLogs.path,
          '--host-label',
          'my laptop',
        ]);
        expect(bad.code).toBe(2);
        expect(bad.err).toMatch(/--host-label: must be a machine name/);
      } finally {
        await srv.close();
        serverTracker.close();
      }
    });
  },
);

describe('kelly watch --tracking-uri (child process, a real server)', () => {
  it('sends a new file to the server as it appears, prints its decision, exits 0 on SIGINT', async () => {
    const serverTracker = openTracker({ home: join(dir, 'watch-server'), handleSignals: false });
    const srv = await serveTrackingApi({
      tracker: serverTracker,
      port: 0,
      routes: [legacyFilesRoute(serverTracker)],
    });
    const watched = join(dir, 'watched');
    mkdirSync(watched);
    const child = spawnWatched(
      [
        BIN,
        '--home',
        join(dir, 'watch-client'),
        'watch',
        watched,
        '--stability-ms',
        '200',
        '--host-label',
        'ws-1',
      ],
      { name: 'kelly watch', env: { ...process.env, KELLY_TRACKING_URI: srv.url } },
    );
    const out = () => child.output().stdout + child.output().stderr;
    try {
      await child.waitFor(`into ${srv.url} (Ctrl-C to stop)`);
      writeFileSync(join(watched, 'plan.json'), '{"plans": []}');
      await child.waitFor('ignored plan.json: not a run log');
      expect(serverTracker.sql.prepare(`SELECT path FROM ingest_files`).pluck().all()).toEqual([
        `ws-1:${watched}/plan.json`,
      ]);
      child.proc.kill('SIGINT');
      expect((await child.exited).code).toBe(0);
      expect(out()).toContain('stopped');
      expect(serverTracker.sql.prepare(`SELECT stopped_at IS NOT NULL FROM watchers`).pluck().all()).toEqual([
        1,
      ]);
    } finally {
      if (child.proc.exitCode === null) child.proc.kill('SIGKILL');
      await srv.close();
      serverTracker.close();
    }
  });
});
