import { testStoreLocation } from '@kelly/test-support';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createToken,
  getRun,
  metricSeries,
  openTracker,
  revokeToken,
  serveTrackingApi,
  type RunHandle,
  type Tracker,
} from '../src/index';

const dir = mkdtempSync(join(tmpdir(), 'kelly-remote-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = (name: string) => join(dir, `${name}-${n++}`);

async function server(home = fresh('server'), staleAfterS = 60, port = 0) {
  const tracker = openTracker({
    home,
    path: testStoreLocation(home, 'tracking.db'),
    staleAfterS,
    handleSignals: false,
  });
  const srv = await serveTrackingApi({ tracker, port, sweepMs: 50 });
  return { tracker, srv, stop: async () => (await srv.close(), tracker.close()) };
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/** The same points logged to any run: two keys, NaN/±Infinity and a zero loss among them. */
function logPoints(run: RunHandle, count: number) {
  for (let i = 0; i < count; i++) {
    const loss = i === 77 ? NaN : i === 500 ? Infinity : i === 501 ? -Infinity : i === 900 ? 0 : 1 / (i + 1);
    run.logMetrics(
      { loss, val_loss: 2 / (i + 1) },
      { step: i, epoch: Math.floor(i / 100), wallTime: 1_700_000_000_000 + i },
    );
  }
}

const points = (t: Tracker, runId: string) =>
  t.sql
    .prepare(
      `SELECT key, step, epoch, wall_time, value, flag FROM metrics WHERE run_id = ? ORDER BY key, step`,
    )
    .raw()
    .all(runId);
const rollups = (t: Tracker, runId: string) =>
  t.sql
    .prepare(
      `SELECT key, level, bucket, count, first_step, last_step, min_value, max_value FROM metric_rollups WHERE run_id = ? ORDER BY key, level, bucket`,
    )
    .raw()
    .all(runId);

describe('remote logging through a Kelly server', () => {
  it('stores exactly what a local run stores: points, non-finite values, rollups, series, artifacts, status', async () => {
    const s = await server();
    const clientHome = fresh('client');
    const remote = openTracker({
      trackingUri: s.srv.url,
      home: clientHome,
      handleSignals: false,
      batchSize: 997,
    });
    const run = await remote.startRun({
      experiment: 'remote',
      config: { lr: 0.01, layers: [2, 3] },
      tags: ['a'],
    });
    logPoints(run, 12_345);
    run.setTags(['a', 'b']);
    run.setSystem({ backend: 'wasm', threads: 1 });
    const file = join(clientHome, 'report.json');
    writeFileSync(file, JSON.stringify({ ok: true }));
    const folder = join(clientHome, 'model');
    mkdirSync(join(folder, 'sub'), { recursive: true });
    writeFileSync(join(folder, 'model.json'), '{"w":[1,2]}');
    writeFileSync(join(folder, 'sub', 'weights.bin'), Buffer.alloc(70_000, 7));
    const a1 = await run.logArtifact(file, { kind: 'report' });
    const a2 = await run.logArtifact(folder, { kind: 'model', name: 'model' });
    await run.end();
    await remote.close();

    // the same points logged locally, as the reference
    const local = openTracker({
      path: testStoreLocation(fresh('local'), 'l.db'),
      handleSignals: false,
      batchSize: 997,
    });
    const ref = await local.startRun({ experiment: 'remote', config: { lr: 0.01, layers: [2, 3] } });
    logPoints(ref, 12_345);
    await ref.end();

    expect(points(s.tracker, run.id)).toEqual(points(local, ref.id));
    expect(points(s.tracker, run.id)).toHaveLength(2 * 12_345);
    expect(rollups(s.tracker, run.id)).toEqual(rollups(local, ref.id));
    const strip = (xs: ReturnType<typeof metricSeries>) =>
      xs.map(({ runId: _r, points, ...rest }) => ({ ...rest, points: points.map(({ x: _x, ...p }) => p) }));
    expect(strip(metricSeries(s.tracker, { runId: run.id, maxPoints: 200 }))).toEqual(
      strip(metricSeries(local, { runId: ref.id, maxPoints: 200 })),
    );
    const detail = getRun(s.tracker, run.id);
    expect(detail).toMatchObject({
      status: 'FINISHED',
      tags: ['a', 'b'],
      backend: 'wasm',
      config: { lr: 0.01, layers: [2, 3] },
    });
    expect(detail.anomalyDetails.map((a) => a.rule).sort()).toEqual(
      getRun(local, ref.id)
        .anomalyDetails.map((a) => a.rule)
        .sort(),
    );
    const arts = detail.artifacts.map((a) => ({
      kind: a.kind,
      path: a.path,
      sha256: a.sha256,
      bytes: a.bytes,
    }));
    expect(arts).toEqual([
      { kind: 'report', path: a1.path, sha256: a1.sha256, bytes: a1.bytes },
      { kind: 'model', path: a2.path, sha256: a2.sha256, bytes: a2.bytes },
    ]);
    // the bytes arrived in the server's artifact root
    expect(readFileSync(join(s.tracker.paths.artifacts, run.id, 'model', 'sub', 'weights.bin'))).toEqual(
      Buffer.alloc(70_000, 7),
    );
    local.close();
    await s.stop();
  });

  it('media: encoded on the client, uploaded, indexed by the server like a local run (same key+step replaces)', async () => {
    const s = await server();
    const remote = openTracker({ trackingUri: s.srv.url, home: fresh('client'), handleSignals: false });
    const run = await remote.startRun({ experiment: 'media', config: {} });
    const samples = Float32Array.from({ length: 1600 }, (_, i) => Math.sin(i / 5));
    const r1 = await run.logMedia({ kind: 'audio', key: 'val/clip0', step: 3, samples, sampleRate: 16000 });
    const r2 = await run.logMedia({
      kind: 'audio',
      key: 'val/clip0',
      step: 3,
      samples: samples.map((x) => x / 2),
      sampleRate: 16000,
      caption: 'again',
    });
    await run.logMedia({
      kind: 'image',
      key: 'roll',
      step: 3,
      width: 2,
      height: 1,
      rgba: new Uint8Array([255, 0, 0, 255, 0, 0, 255, 255]),
    });
    await run.end();
    await remote.close();
    expect(remote.queue.stats.refused).toBe(0);
    expect(r1.stored && r2.stored).toBe(true);
    const rows = s.tracker.sql
      .prepare(
        `SELECT m.key, m.step, m.mime, m.caption, m.bytes, a.path FROM media m JOIN artifacts a ON a.id = m.artifact_id WHERE m.run_id = ? ORDER BY m.key`,
      )
      .all(run.id);
    expect(rows).toEqual([
      {
        key: 'roll',
        step: 3,
        mime: 'image/png',
        caption: null,
        bytes: expect.any(Number) as number,
        path: `${run.id}/media/roll/3.png`,
      },
      {
        key: 'val/clip0',
        step: 3,
        mime: 'audio/wav',
        caption: 'again',
        bytes: 44 + 1600 * 2,
        path: `${run.id}/media/val/clip0/3.wav`,
      },
    ]);
    const local = readFileSync(join(remote.paths.artifacts, run.id, 'media/val/clip0/3.wav'));
    expect(readFileSync(join(s.tracker.paths.artifacts, run.id, 'media/val/clip0/3.wav')).equals(local)).toBe(
      true,
    );
    expect(
      s.tracker.sql
        .prepare(`SELECT count(*) FROM artifacts WHERE run_id = ? AND kind = 'media'`)
        .pluck()
        .get(run.id),
    ).toBe(2);
    await s.stop();
  });

  it('a retried batch is stored once (idempotency key)', async () => {
    const s = await server();
    const remote = openTracker({ trackingUri: s.srv.url, home: fresh('client'), handleSignals: false });
    const run = await remote.startRun({ experiment: 'idem', config: {} });
    await remote.drain();
    const body = JSON.stringify({
      op: 'b-retried-batch-1',
      keys: ['loss'],
      k: [0, 0],
      s: [0, 1],
      e: [null, null],
      w0: 1,
      w: [0, 1],
      v: [0.5, null],
      f: [0, 1],
    });
    const post = () =>
      fetch(`${s.srv.url}/api/tracking/runs/${run.id}/batches`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json' },
      }).then((r) => r.json() as Promise<{ applied: boolean }>);
    expect(await post()).toMatchObject({ applied: true });
    expect(await post()).toMatchObject({ applied: false });
    expect(points(s.tracker, run.id)).toEqual([
      ['loss', 0, null, 1, 0.5, 0],
      ['loss', 1, null, 2, null, 1],
    ]);
    await remote.close();
    await s.stop();
  });

  it('a bad batch gets 400 naming the field; an unknown run 404', async () => {
    const s = await server();
    const bad = await fetch(`${s.srv.url}/api/tracking/runs/nope/batches`, {
      method: 'POST',
      body: JSON.stringify({ op: 'b-12345678', keys: [], k: [1], s: [], e: [], w0: 0, w: [], v: [] }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/^body\.s: has 0 entries, k has 1/);
    const unknown = await fetch(`${s.srv.url}/api/tracking/runs/nope/batches`, {
      method: 'POST',
      body: JSON.stringify({ op: 'b-12345678', keys: [], k: [], s: [], e: [], w0: 0, w: [], v: [] }),
    });
    expect(unknown.status).toBe(404);
    await s.stop();
  });

  it('keeps logging into the spool while the server is down and replays it in order when it comes up', async () => {
    const port = await freePort();
    const home = fresh('client');
    const errors: string[] = [];
    const remote = openTracker({
      trackingUri: `http://127.0.0.1:${port}`,
      home,
      handleSignals: false,
      batchSize: 100,
      onBackgroundError: (e) => errors.push(String(e)),
    });
    const run = await remote.startRun({ experiment: 'spool', config: {} });
    logPoints(run, 1000); // 2000 points: 20 full batches, nothing left buffered
    expect(await remote.drain(300)).toBe(false);
    expect(errors[0]).toMatch(/cannot reach the tracking server .*ECONNREFUSED.*kept in .*\.jsonl/);
    const spoolFile = remote.spool.file;
    expect(readFileSync(spoolFile, 'utf8').split('\n').filter(Boolean).length).toBe(1 + 20); // start + 2000/100 batches
    const s = await server(fresh('server'), 60, port);
    logPoints(run, 1000); // more points after the server is back: appended after the spooled ones
    await run.end();
    expect(points(s.tracker, run.id)).toHaveLength(4000);
    expect(getRun(s.tracker, run.id).status).toBe('FINISHED');
    expect(readFileSync(spoolFile, 'utf8')).toBe(''); // all acknowledged: the spool starts over
    await remote.close();
    expect(readdirSync(join(home, 'spool')).flatMap((d) => readdirSync(join(home, 'spool', d)))).toEqual([]);
    await s.stop();
  });

  it('tokens: 401 without or with a wrong token (the client keeps spooling), 403 for a read token writing', async () => {
    const s = await server();
    const write = createToken(s.tracker.sql, { scope: 'write', name: 'ci' });
    const read = createToken(s.tracker.sql, { scope: 'read' });
    const start = (token?: string) =>
      fetch(`${s.srv.url}/api/tracking/runs`, {
        method: 'POST',
        body: '{}',
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
    expect((await start()).status).toBe(401);
    expect((await start(read.token)).status).toBe(403);
    expect((await start(write.token)).status).toBe(400); // authenticated; the body is then validated
    expect(
      (await fetch(`${s.srv.url}/api/tracking/runs`, { headers: { authorization: `Bearer ${read.token}` } }))
        .status,
    ).toBe(200);

    const errors: string[] = [];
    const wrong = openTracker({
      trackingUri: s.srv.url,
      token: `${write.token.slice(0, -4)}AAAA`,
      home: fresh('client'),
      handleSignals: false,
      onBackgroundError: (e) => errors.push(String(e)),
    });
    const run = await wrong.startRun({ experiment: 'tokens', config: {} });
    logPoints(run, 50);
    run.flush();
    expect(await wrong.drain(400)).toBe(false);
    expect(errors[0]).toMatch(/401 .*the token is not known to this server/);
    expect(wrong.queue.pending).toBe(2);
    expect(readFileSync(wrong.spool.file, 'utf8').split('\n').filter(Boolean)).toHaveLength(2);
    expect(s.tracker.sql.prepare('SELECT count(*) FROM runs').pluck().get()).toBe(0);
    wrong.queue.stop();

    const good = openTracker({
      trackingUri: s.srv.url,
      token: write.token,
      home: fresh('client'),
      handleSignals: false,
    });
    const ok = await good.startRun({ experiment: 'tokens', config: {} });
    logPoints(ok, 50);
    await ok.end();
    expect(points(s.tracker, ok.id)).toHaveLength(100);
    await good.close();
    expect(revokeToken(s.tracker.sql, write.info.id)).toBe(true);
    expect((await start(write.token)).status).toBe(401);
    await s.stop();
  });

  it('refuses to listen beyond loopback without tokens', async () => {
    const home = fresh('server');
    const tracker = openTracker({ home, path: testStoreLocation(home, 'tracking.db'), handleSignals: false });
    await expect(serveTrackingApi({ tracker, host: '0.0.0.0', port: 0 })).rejects.toThrow(
      /refusing to listen on 0\.0\.0\.0 without tokens/,
    );
    createToken(tracker.sql, { scope: 'write' });
    const srv = await serveTrackingApi({ tracker, host: '0.0.0.0', port: 0 });
    await srv.close();
    tracker.close();
  });
});
