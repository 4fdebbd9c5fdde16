import { testStoreLocation } from '@kelly/test-support';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { getRun, listMedia, openTracker, readWavHeader, type Tracker } from '../index';

const dir = mkdtempSync(join(tmpdir(), 'kelly-media-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sine = (n: number, hz: number, rate: number) =>
  Float32Array.from({ length: n }, (_, i) => 0.5 * Math.sin((2 * Math.PI * hz * i) / rate));

function raster(w: number, h: number, rgb: [number, number, number]): Uint8Array {
  const out = new Uint8Array(w * h * 4);
  for (let i = 0; i < w * h; i++) out.set([...rgb, 255], i * 4);
  return out;
}

function withTracker(
  name: string,
  options: { mediaMaxBytesPerRun?: number },
  fn: (t: Tracker) => Promise<void>,
) {
  return async () => {
    const home = join(dir, name);
    const t = openTracker({
      home,
      path: testStoreLocation(home, 'tracking.db'),
      handleSignals: false,
      ...options,
    });
    try {
      await fn(t);
    } finally {
      t.close();
    }
  };
}

describe('run.logMedia', () => {
  it(
    'stores WAV and PNG files as media artifacts, indexed by key and step, that decode to what was logged',
    withTracker('basic', {}, async (t) => {
      const run = await t.startRun({ experiment: 'media', config: {} });
      const a = await run.logMedia({
        kind: 'audio',
        key: 'clip/c1/input',
        step: 0,
        samples: sine(16000, 440, 16000),
        sampleRate: 16000,
      });
      const i = await run.logMedia({
        kind: 'image',
        key: 'clip/c1/piano-roll',
        step: 12,
        epoch: 3,
        caption: 'best epoch 3',
        width: 4,
        height: 2,
        rgba: raster(4, 2, [10, 200, 30]),
      });
      if (!a.stored || !i.stored) throw new Error('expected both stored');
      const wav = readFileSync(join(t.paths.artifacts, a.record.path));
      expect(readWavHeader(new Uint8Array(wav))).toEqual({ sampleRate: 16000, durationS: 1 });
      // 16-bit PCM of the sine: sample 10 is 0.5·sin(2π·440·10/16000)·32767, rounded
      expect(wav.readInt16LE(44 + 20)).toBe(
        Math.round(0.5 * Math.sin((2 * Math.PI * 440 * 10) / 16000) * 0x7fff),
      );
      const png = PNG.sync.read(readFileSync(join(t.paths.artifacts, i.record.path)));
      expect([png.width, png.height, png.data[4], png.data[5], png.data[6]]).toEqual([4, 2, 10, 200, 30]);
      expect(i.record.path).toBe(`${run.id}/media/clip/c1/piano-roll/12.png`);
      await run.end();
      const items = listMedia(t, { runIds: [run.id] });
      expect(items.map((m) => [m.key, m.step, m.mime, m.epoch, m.caption])).toEqual([
        ['clip/c1/input', 0, 'audio/wav', null, null],
        ['clip/c1/piano-roll', 12, 'image/png', 3, 'best epoch 3'],
      ]);
      expect(items[1]!.meta).toEqual({ width: 4, height: 2 });
      const artifacts = getRun(t, run.id).artifacts.filter((x) => x.kind === 'media');
      expect(artifacts.map((x) => x.path).sort()).toEqual(items.map((m) => m.path).sort());
    }),
  );

  it(
    'replaces an item logged again at the same key and step, and accepts pre-encoded bytes checked by header',
    withTracker('replace', {}, async (t) => {
      const run = await t.startRun({ experiment: 'media', config: {} });
      const first = await run.logMedia({
        kind: 'image',
        key: 'cm',
        step: 1,
        width: 1,
        height: 1,
        rgba: raster(1, 1, [1, 2, 3]),
      });
      if (!first.stored) throw new Error('not stored');
      const bytes = new Uint8Array(readFileSync(join(t.paths.artifacts, first.record.path)));
      const again = await run.logMedia({
        kind: 'encoded',
        mime: 'image/png',
        key: 'cm',
        step: 1,
        data: bytes,
      });
      expect(again.stored).toBe(true);
      expect(listMedia(t, { runIds: [run.id] })).toHaveLength(1);
      expect(
        t.sql
          .prepare(`SELECT count(*) FROM artifacts WHERE run_id = ? AND kind = 'media'`)
          .pluck()
          .get(run.id),
      ).toBe(1);
      await expect(
        run.logMedia({ kind: 'encoded', mime: 'audio/wav', key: 'x', step: 0, data: bytes }),
      ).rejects.toThrow(/RIFF\/WAVE/);
      await expect(
        run.logMedia({ kind: 'encoded', mime: 'image/png', key: 'x', step: 0, data: new Uint8Array(30) }),
      ).rejects.toThrow(/PNG signature/);
      await run.end();
      await expect(
        run.logMedia({
          kind: 'image',
          key: 'cm',
          step: 2,
          width: 1,
          height: 1,
          rgba: raster(1, 1, [0, 0, 0]),
        }),
      ).rejects.toThrow(/has ended/);
    }),
  );

  it(
    'rejects keys that could leave the run folder, naming the field',
    withTracker('keys', {}, async (t) => {
      const run = await t.startRun({ experiment: 'media', config: {} });
      for (const key of ['../x', 'a/../../b', '/abs', 'a//b', 'a/..', ''])
        await expect(
          run.logMedia({ kind: 'audio', key, step: 0, samples: new Float32Array(4), sampleRate: 8000 }),
        ).rejects.toThrow(/logMedia: key/);
      await expect(
        run.logMedia({ kind: 'audio', key: 'ok', step: -1, samples: new Float32Array(4), sampleRate: 8000 }),
      ).rejects.toThrow(/logMedia: step/);
      await expect(
        run.logMedia({ kind: 'image', key: 'ok', step: 0, width: 2, height: 2, rgba: new Uint8Array(3) }),
      ).rejects.toThrow(/expected 2×2×4/);
      expect(listMedia(t, { runIds: [run.id] })).toEqual([]);
      await run.end();
    }),
  );

  it(
    'stops storing at the per-run cap, records it in the run, and a resumed run counts what it had',
    withTracker('cap', { mediaMaxBytesPerRun: 3000 }, async (t) => {
      const run = await t.startRun({ experiment: 'media', config: {} });
      const clip = () => ({ kind: 'audio' as const, samples: new Float32Array(1000), sampleRate: 8000 });
      expect((await run.logMedia({ ...clip(), key: 'a', step: 0 })).stored).toBe(true);
      const refused = await run.logMedia({ ...clip(), key: 'a', step: 1 });
      expect(refused).toMatchObject({ stored: false, usedBytes: 2044, capBytes: 3000 });
      expect(existsSync(join(t.paths.artifacts, run.id, 'media', 'a', '1.wav'))).toBe(false);
      // replacing an item does not count it twice
      expect((await run.logMedia({ ...clip(), key: 'a', step: 0 })).stored).toBe(true);
      await run.kill('test');
      expect(getRun(t, run.id).system).toMatchObject({
        mediaCapReached: { capBytes: 3000, key: 'a', step: 1 },
      });
      const resumed = t.resumeRun(run.id);
      expect((await resumed.logMedia({ ...clip(), key: 'b', step: 2 })).stored).toBe(false);
      await resumed.end();
    }),
  );
});
