import { testStoreLocation } from '@kelly/test-support';
import {
  createToken,
  openTracker,
  serveTrackingApi,
  sha256Hex,
  type Tracker,
  type TrackingServer,
} from '@kelly/tracking';
import {
  cpSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ingestDir,
  ingestDirRemote,
  legacyFilesRoute,
  listIngestFiles,
  listWatchers,
  MAX_LEGACY_FILE_BYTES,
  remoteIngestTarget,
  RemoteIngestError,
  watchLegacyDirInto,
  type DirFileReport,
  type IngestDecision,
  type IngestDirResult,
} from '../src/index';
import { anomaliesByRun, count, LEGACY_LOGS, legacyLogs } from './support';

/** A store on the test store (a SQLite file, or a fresh PostgreSQL database under legacy@pg). */
function testStore(dir: string, name: string): { tracker: Tracker; done(): void } {
  const tracker = openTracker({ path: testStoreLocation(dir, name), handleSignals: false });
  return { tracker, done: () => tracker.close() };
}

const HOST = 'test-laptop';

/** A server store with the legacy-files route on a real port; `stop()` closes the listener only. */
async function startServer(tracker: Tracker, port = 0): Promise<TrackingServer> {
  return serveTrackingApi({ tracker, port, routes: [legacyFilesRoute(tracker)] });
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/** What must be equal between a local and a remote import: per file and per run. */
function fileView(r: IngestDirResult) {
  return r.files.map((f) => [f.relPath, f.outcome, f.runId, f.runStatus, f.byteOffset, f.sha256, f.reason]);
}
function runView(t: Tracker) {
  const runs = t.sql
    .prepare(`SELECT id, experiment, status, source, summary, content_hash FROM runs ORDER BY id`)
    .all() as { summary: string }[];
  // the summary names the source file: an absolute path locally, host:path on the server
  return runs.map((r) => ({ ...r, summary: r.summary.replace(/"source_file":"[^"]*"/, '') }));
}
const tables = (t: Tracker) =>
  ['runs', 'metrics', 'anomalies', 'artifacts', 'ingest_files', 'ingest_file_versions'].map((n) =>
    count(t, n),
  );

describe.skipIf(!legacyLogs.present)(`legacy logs through a Kelly server (${legacyLogs.needs})`, () => {
  let root: string;
  let logs: string;
  let serverStore: ReturnType<typeof testStore>;
  let localStore: ReturnType<typeof testStore>;
  let server: Tracker;
  let local: Tracker;
  let srv: TrackingServer | undefined;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'kelly-remote-legacy-'));
    logs = join(root, 'logs ünï');
    cpSync(LEGACY_LOGS, logs, { recursive: true });
    serverStore = testStore(root, 'server.db');
    localStore = testStore(root, 'local.db');
    server = serverStore.tracker;
    local = localStore.tracker;
  });
  afterEach(async () => {
    await srv?.close();
    srv = undefined;
    serverStore.done();
    localStore.done();
    rmSync(root, { recursive: true, force: true });
  });

  it('a folder ingested remotely gives the runs, statuses, anomalies and outcomes of a local ingest; a re-run sends nothing', async () => {
    srv = await startServer(server);
    // a link to a log outside the folder: skipped by both, never followed
    symlinkSync(join(LEGACY_LOGS, 'groovepredictor_20251226_083227.json'), join(logs, 'outside link.json'));
    const lines: string[] = [];
    const remote = await ingestDirRemote(logs, {
      trackingUri: srv.url,
      host: HOST,
      log: (l) => lines.push(l),
    });
    const here = await ingestDir(local, logs);

    expect(remote.files.length).toBe(here.files.length);
    expect(fileView(remote)).toEqual(fileView(here));
    expect(remote.totals).toEqual(here.totals);
    expect(remote.totals.imported).toBeGreaterThan(20);
    expect(remote.skipped.map((k) => k.relPath)).toEqual(['outside link.json']);
    expect(here.skipped.map((k) => k.relPath)).toEqual(['outside link.json']);
    expect(runView(server)).toEqual(runView(local));
    expect(anomaliesByRun(server)).toEqual(anomaliesByRun(local));
    expect(tables(server)).toEqual(tables(local));
    // where each file came from: host:path, in the record and in the run's summary
    expect(remote.dir).toBe(`${HOST}:${logs}`);
    const paths = server.sql.prepare(`SELECT path FROM ingest_files`).pluck().all() as string[];
    expect(paths.every((p) => p.startsWith(`${HOST}:${logs}/`))).toBe(true);
    expect(new Set(listIngestFiles(server, { limit: 1000 }).items.map((f) => f.host))).toEqual(
      new Set([HOST]),
    );
    expect(new Set(listIngestFiles(local, { limit: 1000 }).items.map((f) => f.host))).toEqual(
      new Set([null]),
    );
    expect(lines.filter((l) => l.startsWith('imported ')).length).toBe(remote.totals.imported);

    const seen = server.sql.prepare(`SELECT max(last_seen_at) FROM ingest_files`).pluck().get();
    const again = await ingestDirRemote(logs, { trackingUri: srv.url, host: HOST });
    expect(again.totals.unchanged).toBe(again.files.length);
    expect(fileView(again)).toEqual(fileView(remote));
    expect(tables(server)).toEqual(tables(local));
    // nothing was sent: an upload, even of unchanged bytes, would touch last_seen_at
    expect(server.sql.prepare(`SELECT max(last_seen_at) FROM ingest_files`).pluck().get()).toBe(seen);
  });

  it('a retried upload is stored once; a change, a deletion and a too-large file arrive as recorded locally', async () => {
    srv = await startServer(server);
    const target = remoteIngestTarget({ trackingUri: srv.url, host: HOST });
    const name = 'groovepredictor_20251226_083227.json';
    const first = await target.ingestFile(logs, join(logs, name), {});
    const retry = await target.ingestFile(logs, join(logs, name), {});
    expect(first).toMatchObject({ outcome: 'imported', changed: true, relPath: name });
    expect(retry).toMatchObject({ outcome: 'imported', changed: false, runId: first.runId });
    expect([count(server, 'runs'), count(server, 'ingest_files')]).toEqual([1, 1]);

    const doc = JSON.parse(readFileSync(join(logs, name), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(logs, name), JSON.stringify({ ...doc, final_val_loss: 0.123 }));
    expect(await target.ingestFile(logs, join(logs, name), {})).toMatchObject({ outcome: 'updated' });
    unlinkSync(join(logs, name));
    expect(await target.markMissing(logs, join(logs, name), {})).toMatchObject({ outcome: 'missing' });
    expect(count(server, 'runs')).toBe(1);
    expect(count(server, 'ingest_file_versions')).toBe(1);

    // over the limit: recorded from its size on the client, never read nor sent (a sparse file, no 64 MiB written)
    const big = join(logs, 'console dump.json');
    writeFileSync(big, '');
    truncateSync(big, MAX_LEGACY_FILE_BYTES + 1);
    const tooLarge = await target.ingestFile(logs, big, {});
    expect(tooLarge).toMatchObject({ outcome: 'unparseable', relPath: 'console dump.json', sha256: null });
    expect(tooLarge.reason).toMatch(/^too large: 67108865 bytes/);
    expect(
      server.sql
        .prepare(`SELECT bytes FROM ingest_files WHERE rel_path = ?`)
        .pluck()
        .get('console dump.json'),
    ).toBe(MAX_LEGACY_FILE_BYTES + 1);
  });

  it('a wrong token gets a clear 401 and a read token a 403; nothing is recorded', async () => {
    createToken(server.sql, { scope: 'write', name: 'watcher' });
    const read = createToken(server.sql, { scope: 'read', name: 'reader' });
    srv = await startServer(server);
    const wrong = ingestDirRemote(logs, {
      trackingUri: srv.url,
      token: 'kelly_nope_secret',
      giveUpAfterMs: 0,
    });
    await expect(wrong).rejects.toThrow(RemoteIngestError);
    await expect(wrong).rejects.toMatchObject({ status: 401 });
    await expect(wrong).rejects.toThrow(/401 from .*legacy\/files: the token (is not known|is malformed)/);
    const none = ingestDirRemote(logs, { trackingUri: srv.url, giveUpAfterMs: 0 });
    await expect(none).rejects.toThrow(/401 .*requires a token/);
    const reader = ingestDirRemote(logs, { trackingUri: srv.url, token: read.token, giveUpAfterMs: 0 });
    await expect(reader).rejects.toMatchObject({ status: 403 });
    await expect(reader).rejects.toThrow(/scope read; this request needs a write token/);
    expect(count(server, 'ingest_files')).toBe(0);
  });

  it('a batch whose bytes do not hash as declared is refused whole (422 naming the file); a short batch is a 400', async () => {
    srv = await startServer(server);
    const name = 'melodytransformer_20251226_092149.json';
    const bytes = readFileSync(join(logs, name));
    const post = (manifest: unknown[], files: Uint8Array[]) => {
      const form = new FormData();
      form.append('manifest', JSON.stringify(manifest));
      for (const f of files) form.append('file', new Blob([f as Uint8Array<ArrayBuffer>]));
      const input = encodeURIComponent(JSON.stringify({ host: HOST, dir: logs }));
      return fetch(`${srv!.url}/api/tracking/legacy/files?input=${input}`, { method: 'POST', body: form });
    };
    const good = { relPath: name, sha256: sha256Hex(bytes) };
    const bad = { relPath: 'other.json', sha256: '0'.repeat(64) };
    const refused = await post([good, bad], [bytes, bytes]);
    expect(refused.status).toBe(422);
    expect(((await refused.json()) as { error: string }).error).toMatch(
      /^other\.json arrived with sha256 [0-9a-f]{64}/,
    );
    const short = await post([good, bad], [bytes]);
    expect(short.status).toBe(400);
    expect(((await short.json()) as { error: string }).error).toBe('1 file part(s) for 2 manifest entries');
    expect(count(server, 'ingest_files')).toBe(0);
    const ok = await post([good], [bytes]);
    expect(((await ok.json()) as { decisions: { outcome: string }[] }).decisions).toMatchObject([
      { outcome: 'imported', relPath: name, runStatus: 'FINISHED' },
    ]);
  });

  it('a tracking server without the legacy-files route: a 404 that says so, at once', async () => {
    srv = await serveTrackingApi({ tracker: server, port: 0 });
    const r = ingestDirRemote(logs, { trackingUri: srv.url, host: HOST });
    await expect(r).rejects.toMatchObject({ status: 404 });
    await expect(r).rejects.toThrow(
      /no route GET .*legacy\/files \(a Kelly server without the legacy-files route/,
    );
  });

  it('watcher: server down at start, then up, then down and up again: every file arrives once', async () => {
    const port = await freePort();
    const lines: string[] = [];
    const target = remoteIngestTarget({
      trackingUri: `http://127.0.0.1:${port}`,
      host: HOST,
      maxBackoffMs: 100,
      log: (l) => lines.push(l),
    });
    // the server is not there yet: the watcher waits for it, retrying
    // the initial pass's files arrive one by one through onDecision (the watcher keeps no list of them)
    const initial: DirFileReport[] = [];
    let started = false;
    const starting = watchLegacyDirInto(target, logs, {
      stabilityMs: 200,
      pollMs: 25,
      onDecision: (d) => (started ? undefined : initial.push(d as DirFileReport)),
    });
    await until(() => lines.some((l) => l.includes('cannot reach the tracking server')));
    srv = await startServer(server, port);
    const watcher = await starting;
    started = true;
    try {
      await watcher.idle();
      const here = await ingestDir(local, logs);
      initial.sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));
      expect(fileView({ ...watcher.initial, files: initial })).toEqual(fileView(here));
      expect(watcher.initial.totals).toEqual(here.totals);
      expect(listWatchers(server)[0]).toMatchObject({ dir: `${HOST}:${logs}`, host: HOST, pid: process.pid });

      // down: a new file, a changed one and a deleted one wait for the server
      await srv.close();
      srv = undefined;
      const retried = lines.length;
      const added = 'melodytransformer_20260105_101010.json';
      const src = JSON.parse(
        readFileSync(join(logs, 'melodytransformer_20260104_074804.json'), 'utf8'),
      ) as Record<string, unknown>;
      writeFileSync(join(logs, added), JSON.stringify({ ...src, run_id: added.replace('.json', '') }));
      writeFileSync(
        join(logs, 'groovepredictor_20251226_083227.json'),
        JSON.stringify({
          ...(JSON.parse(readFileSync(join(logs, 'groovepredictor_20251226_083227.json'), 'utf8')) as object),
          final_val_loss: 0.5,
        }),
      );
      unlinkSync(join(logs, 'emotionrecognizer_20260104_064619.json'));
      await until(() => lines.slice(retried).some((l) => l.includes('cannot reach the tracking server')));
      srv = await startServer(server, port);
      await watcher.idle();
      const localAfter = await ingestDir(local, logs);
      const listed = await ingestDirRemote(logs, { trackingUri: srv.url, host: HOST });
      expect(listed.totals.unchanged).toBe(listed.files.length);
      expect(fileView(listed)).toEqual(fileView(localAfter));
      expect(runView(server)).toEqual(runView(local));
      expect(tables(server)).toEqual(tables(local));
      expect(listed.files.find((f) => f.relPath === added)).toMatchObject({ outcome: 'imported' });
    } finally {
      await watcher.close();
    }
    expect(listWatchers(server)[0]?.state).toBe('stopped');
  });
});

describe.skipIf(!legacyLogs.present)(
  `a remote watcher stopped while the server is down (${legacyLogs.needs})`,
  () => {
    it('gives up at close within its timeout; the next watcher sends what was left, once', async () => {
      const root = mkdtempSync(join(tmpdir(), 'kelly-remote-legacy-stop-'));
      const logs = join(root, 'logs');
      cpSync(LEGACY_LOGS, logs, { recursive: true });
      const serverStore = testStore(root, 'server.db');
      const localStore = testStore(root, 'local.db');
      const port = await freePort();
      const lines: string[] = [];
      const options = { trackingUri: `http://127.0.0.1:${port}`, host: HOST, maxBackoffMs: 100 };
      let srv: TrackingServer | undefined = await startServer(serverStore.tracker, port);
      try {
        const first = await watchLegacyDirInto(
          remoteIngestTarget({ ...options, log: (l) => lines.push(l) }),
          logs,
          { stabilityMs: 100, pollMs: 25, closeTimeoutMs: 300 },
        );
        await srv.close();
        srv = undefined;
        const added = 'melodytransformer_20260107_070707.json';
        const src = JSON.parse(
          readFileSync(join(logs, 'melodytransformer_20251226_092149.json'), 'utf8'),
        ) as Record<string, unknown>;
        writeFileSync(join(logs, added), JSON.stringify({ ...src, run_id: added.replace('.json', '') }));
        await until(() => lines.some((l) => l.includes('cannot reach the tracking server')));
        const closing = Date.now();
        await first.close();
        expect(Date.now() - closing).toBeLessThan(5000);

        srv = await startServer(serverStore.tracker, port);
        expect(
          serverStore.tracker.sql
            .prepare(`SELECT count(*) FROM runs WHERE id = ?`)
            .pluck()
            .get(added.replace('.json', '')),
        ).toBe(0);
        const decided: IngestDecision[] = [];
        const second = await watchLegacyDirInto(remoteIngestTarget(options), logs, {
          stabilityMs: 100,
          pollMs: 25,
          onDecision: (d) => decided.push(d),
        });
        await second.idle();
        await second.close();
        const here = await ingestDir(localStore.tracker, logs);
        // the server's records of the folder, read by a pass that changes nothing, are a local pass's
        const there = await ingestDirRemote(logs, options);
        expect(there.totals.unchanged).toBe(there.files.length);
        expect(fileView(there)).toEqual(fileView(here));
        // the file the first watcher could not send was sent by the second, once
        expect(decided.filter((d) => d.relPath === added)).toEqual([
          expect.objectContaining({ outcome: 'imported', changed: true }),
        ]);
        expect(tables(serverStore.tracker)).toEqual(tables(localStore.tracker));
        // the first one's stop could not reach the server: its row goes stale once its heartbeats are overdue
        const later = listWatchers(serverStore.tracker, { staleAfterS: 60, now: Date.now() + 61_000 });
        expect(later.map((w) => w.state)).toEqual(['stopped', 'stale']);
      } finally {
        await srv?.close();
        serverStore.done();
        localStore.done();
        rmSync(root, { recursive: true, force: true });
      }
    });
  },
);

/** Waits (bounded) for `check` to hold. */
async function until(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
