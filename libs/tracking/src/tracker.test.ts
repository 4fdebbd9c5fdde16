import { testStoreLocation } from '@kelly/test-support';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { getRun, importRun, metricSeries, openTracker, withRun, type Tracker } from './index';

const dir = mkdtempSync(join(tmpdir(), 'kelly-trk-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const points = (t: Tracker, runId: string, key: string) =>
  metricSeries(t, { runId, key, maxPoints: 100_000 })[0]!.points.map((p) => p.value);

describe('store', () => {
  it('opens a file in WAL mode with foreign keys and a busy timeout, migrated, at <home>/tracking.db', () => {
    const t = openTracker({ home: join(dir, 'home') });
    try {
      expect(t.path).toBe(join(dir, 'home', 'tracking.db'));
      expect(existsSync(t.path)).toBe(true);
      expect(t.sql.pragma?.('journal_mode', { simple: true })).toBe('wal');
      expect(t.sql.pragma?.('foreign_keys', { simple: true })).toBe(1);
      expect(t.sql.pragma?.('busy_timeout', { simple: true })).toBeGreaterThanOrEqual(5000);
      const tables = t.sql.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all();
      expect(tables).toEqual(
        expect.arrayContaining([
          'runs',
          'metrics',
          'metric_rollups',
          'ingest_files',
          'model_versions',
          'registry_events',
        ]),
      );
    } finally {
      t.close();
    }
    // reopening applies nothing twice
    const again = openTracker({ home: join(dir, 'home') });
    const journal = JSON.parse(
      readFileSync(new URL('../drizzle/meta/_journal.json', import.meta.url), 'utf8'),
    ) as { entries: unknown[] };
    expect(journal.entries.length).toBeGreaterThanOrEqual(3);
    expect(again.sql.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get()).toBe(
      journal.entries.length,
    );
    again.close();
  });

  it('an explicit path wins over home', () => {
    const p = join(dir, 'explicit.db');
    const t = openTracker({ home: join(dir, 'ignored'), path: p });
    t.close();
    expect(existsSync(p)).toBe(true);
    expect(existsSync(join(dir, 'ignored', 'tracking.db'))).toBe(false);
  });

  it('NaN, +Infinity and -Infinity round-trip through a real file, never null or 1.8e308', async () => {
    const p = testStoreLocation(dir, 'nonfinite.db');
    const t = openTracker({ path: p });
    const run = await t.startRun({ experiment: 'x', config: {} });
    const vals = [
      0.5,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      0,
      -0.25,
      Number.MAX_VALUE,
    ];
    vals.forEach((v, step) => run.logMetrics({ loss: v }, { step }));
    await run.end();
    t.close();
    const r = openTracker({ path: p });
    try {
      expect(points(r, run.id, 'loss')).toEqual(vals);
      const d = getRun(r, run.id);
      expect(d.metrics[0]).toMatchObject({ nonFinite: 3, min: -0.25, minStep: 5, last: Number.MAX_VALUE });
      // legacy summaries with NaN keep it too
      importRun(r, {
        id: 'leg',
        experiment: 'x',
        status: 'FINISHED',
        startedAt: 0,
        durationS: 100,
        summary: { final_loss: Number.NaN, best: Number.NEGATIVE_INFINITY },
      });
      expect(getRun(r, 'leg').summary).toEqual({ final_loss: Number.NaN, best: Number.NEGATIVE_INFINITY });
    } finally {
      r.close();
    }
  });
});

describe('client', () => {
  it('rejects a config that is not JSON, naming the key', async () => {
    const t = openTracker({ path: testStoreLocation(':memory:') });
    await expect(t.startRun({ experiment: 'x', config: { model: { act: () => 1 } } })).rejects.toThrow(
      /config key "model.act"/,
    );
    await expect(t.startRun({ experiment: 'x', config: { lr: Number.NaN } })).rejects.toThrow(
      /config key "lr"/,
    );
    await expect(t.startRun({ experiment: '', config: {} })).rejects.toThrow(/experiment/);
    expect(t.sql.prepare('SELECT count(*) FROM runs').pluck().get()).toBe(0);
    t.close();
  });

  it('keeps the config whole and flattened', async () => {
    const t = openTracker({ path: testStoreLocation(':memory:') });
    const run = await t.startRun({
      experiment: 'x',
      config: { optimizer: { name: 'adam', lr: 0.001 }, layers: [64, 32], epochs: 3 },
    });
    await run.end();
    const d = getRun(t, run.id);
    expect(d.config).toEqual({ optimizer: { name: 'adam', lr: 0.001 }, layers: [64, 32], epochs: 3 });
    expect(d.params.map((p) => [p.key, p.value])).toEqual([
      ['epochs', 3],
      ['layers', [64, 32]],
      ['optimizer.lr', 0.001],
      ['optimizer.name', 'adam'],
    ]);
    t.close();
  });

  it('buffers points and writes them when batchSize is reached', async () => {
    const t = openTracker({ path: testStoreLocation(':memory:'), batchSize: 10, flushIntervalMs: 60_000 });
    const run = await t.startRun({ experiment: 'x', config: {} });
    const count = () => t.sql.prepare('SELECT count(*) FROM metrics').pluck().get();
    for (let i = 0; i < 9; i++) run.logMetrics({ loss: i }, { step: i });
    expect(count()).toBe(0);
    run.logMetrics({ loss: 9 }, { step: 9 });
    expect(count()).toBe(10);
    run.logMetrics({ loss: 10 }, { step: 10 });
    await run.end();
    expect(count()).toBe(11);
    t.close();
  });

  it('flushes buffered points within the flush interval without an explicit flush', async () => {
    const t = openTracker({ path: testStoreLocation(dir, 'interval.db'), flushIntervalMs: 100 });
    const run = await t.startRun({ experiment: 'x', config: {} });
    run.logMetrics({ loss: 1 }, { step: 0 });
    const reader = openTracker({ path: testStoreLocation(dir, 'interval.db'), handleSignals: false });
    const t0 = Date.now();
    let n = 0;
    while (n === 0 && Date.now() - t0 < 5000) {
      await new Promise((r) => setTimeout(r, 20));
      n = reader.sql.prepare('SELECT count(*) FROM metrics').pluck().get() as number;
    }
    expect(n).toBe(1);
    expect(run.pending).toBe(0);
    await run.end();
    reader.close();
    t.close();
  });

  it('rejects bad points with a clear error and refuses to log after end', async () => {
    const t = openTracker({ path: testStoreLocation(':memory:') });
    const run = await t.startRun({ experiment: 'x', config: {} });
    expect(() => run.logMetrics({ loss: 1 }, { step: -1 })).toThrow(/step must be an integer/);
    expect(() => run.logMetrics({ loss: '1' as unknown as number }, { step: 0 })).toThrow(
      /"loss" must be a number/,
    );
    await run.end();
    expect(() => run.logMetrics({ loss: 1 }, { step: 1 })).toThrow(/has ended/);
    t.close();
  });

  it('withRun ends FINISHED, or FAILED with the stack when the body throws', async () => {
    const t = openTracker({ path: testStoreLocation(':memory:') });
    const ok = await withRun(t, { experiment: 'x', config: {} }, (run) => {
      run.logMetrics({ loss: 0.5 }, { step: 0 });
      return run.id;
    });
    expect(getRun(t, ok).status).toBe('FINISHED');
    let failedId = '';
    await expect(
      withRun(t, { experiment: 'x', config: {} }, async (run) => {
        failedId = run.id;
        run.logMetrics({ loss: 0.5 }, { step: 0 });
        throw new RangeError('shape mismatch [3,4] vs [4,3]');
      }),
    ).rejects.toThrow('shape mismatch');
    const failed = getRun(t, failedId);
    expect(failed).toMatchObject({
      status: 'FAILED',
      errorType: 'RangeError',
      errorMessage: 'shape mismatch [3,4] vs [4,3]',
    });
    expect(failed.errorStack).toMatch(/tracker\.test\.ts/);
    expect(failed.metrics[0]!.count).toBe(1);
    expect(failed.anomalies).toContain('failed_with_error');
    t.close();
  });

  it('kill() marks KILLED, tags/notes/system are stored, and no signal handler stays installed', async () => {
    const before = process.listenerCount('SIGINT');
    const t = openTracker({ path: testStoreLocation(':memory:') });
    const run = await t.startRun({ experiment: 'x', config: {}, tags: ['a'] });
    expect(process.listenerCount('SIGINT')).toBe(before + 1);
    run.setTags(['smoke', 'wasm', 'smoke']);
    run.setNotes('first try');
    run.setSystem({ backend: 'wasm', tfjs: '4.22.0', threads: 1 });
    await run.kill('user pressed stop');
    expect(process.listenerCount('SIGINT')).toBe(before);
    const d = getRun(t, run.id);
    expect(d).toMatchObject({
      status: 'KILLED',
      errorMessage: 'user pressed stop',
      tags: ['smoke', 'wasm'],
      notes: 'first try',
      backend: 'wasm',
    });
    expect(d.system).toMatchObject({ tfjs: '4.22.0', threads: 1, node: process.version });
    t.close();
  });

  it('logArtifact copies outside files under <artifacts>/<runId>/ with sha256 and bytes, and keeps files already there', async () => {
    const home = join(dir, 'art');
    const t = openTracker({ home });
    const run = await t.startRun({ experiment: 'x', config: {} });
    const src = join(dir, 'model.json');
    writeFileSync(src, '{"weights":[1,2,3]}');
    const a = await run.logArtifact(src, { kind: 'model' });
    expect(a.path).toBe(`${run.id}/model.json`);
    expect(a.bytes).toBe(19);
    expect(a.sha256).toBe(createHash('sha256').update('{"weights":[1,2,3]}').digest('hex'));
    expect(readFileSync(join(home, 'artifacts', a.path), 'utf8')).toBe('{"weights":[1,2,3]}');
    const inside = join(await run.artifactDir(), 'ckpt');
    mkdirSync(inside);
    writeFileSync(join(inside, 'w.bin'), Buffer.from([1, 2, 3, 4]));
    const b = await run.logArtifact(inside, { kind: 'checkpoint' });
    expect(b).toMatchObject({ path: `${run.id}/ckpt`, bytes: 4, kind: 'checkpoint' });
    await expect(run.logArtifact(join(dir, 'nope.bin'), { kind: 'x' })).rejects.toThrow(
      /nope\.bin does not exist/,
    );
    await run.end();
    expect(getRun(t, run.id).artifacts.map((x) => x.kind)).toEqual(['model', 'checkpoint']);
    t.close();
  });

  it('a run left RUNNING by a dead process reads CRASHED (its row untouched) until a sweep stores it; a live one is RUNNING', async () => {
    const p = testStoreLocation(dir, 'stale.db');
    const writer = openTracker({ path: p, handleSignals: false });
    const run = await writer.startRun({ experiment: 'x', config: {} });
    // simulate a process that died 2 minutes ago: its heartbeat stopped then
    writer.sql
      .prepare('UPDATE runs SET heartbeat_at = ?, started_at = ? WHERE id = ?')
      .run(Date.now() - 120_000, Date.now() - 130_000, run.id);
    const live = await writer.startRun({ experiment: 'x', config: {} });
    const reader = openTracker({ path: p, staleAfterS: 60, handleSignals: false });
    const crashed = getRun(reader, run.id);
    expect(crashed.status).toBe('CRASHED');
    expect(crashed.durationS).toBeCloseTo(10, 0);
    expect(getRun(reader, live.id).status).toBe('RUNNING');
    const stored = () => reader.sql.prepare('SELECT status FROM runs WHERE id = ?').pluck().get(run.id);
    expect(stored()).toBe('RUNNING');
    expect(reader.sweepStale()).toEqual([run.id]);
    expect(stored()).toBe('CRASHED');
    expect(getRun(reader, run.id)).toMatchObject({ status: 'CRASHED', durationS: crashed.durationS });
    reader.close();
    await live.end();
    writer.close();
  });
});

describe('importRun validation', () => {
  it('names the bad field and writes nothing', () => {
    const t = openTracker({ path: testStoreLocation(':memory:') });
    expect(() =>
      importRun(t, { id: 'x', experiment: 'e', status: 'DONE' as 'FINISHED', startedAt: 0 }),
    ).toThrow(/status/);
    expect(() =>
      importRun(t, {
        id: 'x',
        experiment: 'e',
        status: 'FINISHED',
        startedAt: 0,
        metrics: [{ key: 'loss', step: -1, value: 1 }],
      }),
    ).toThrow(/metrics.*0.*step|step/s);
    expect(t.sql.prepare('SELECT count(*) FROM runs').pluck().get()).toBe(0);
    t.close();
  });
});
