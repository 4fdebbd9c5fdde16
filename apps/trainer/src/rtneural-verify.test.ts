import * as tf from '@tensorflow/tfjs';
import { createEmotionRecognizer, selectBackend } from '@kelly/models';
import { getRun, openTracker, RTNEURAL_CONTRACT } from '@kelly/tracking';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportAndVerify, ParityError } from './rtneural-verify';

/** The vendored RTNeural checkout the native check builds against in tests. */
const VENDOR = resolve(process.cwd(), '../shared/vendor/rtneural');
let home = '';
beforeAll(async () => {
  await selectBackend();
  home = await mkdtemp(join(tmpdir(), 'kelly-rtn-verify-'));
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('exportAndVerify', () => {
  it('passes a healthy model and records the JSON, the parity report, the held-out clips and the figures (TypeScript and real RTNeural) on the run', async () => {
    const tracker = openTracker({ home, handleSignals: false });
    const run = await tracker.startRun({ experiment: 'emotionrecognizer', config: {} });
    const model = createEmotionRecognizer({
      inputBands: 8,
      convFilters: 4,
      lstmUnits: 6,
      classes: 7,
      inputNorm: true,
      seed: 1,
    });
    const x = tf.randomNormal<tf.Rank.R3>([2, 20, 8], 0, 1, 'float32', 4);
    const v = await exportAndVerify(
      model,
      x,
      join(await run.artifactDir(), 'rtneural'),
      'emotionrecognizer',
      run,
      0,
      { rtneuralDir: VENDOR },
    );
    await run.end();
    expect(v.native.status).toBe('ran');
    expect(v.native.summary).toMatch(/^max \|RTNeural − tfjs\| \S+ ≤ 1\.00e-4; median /);
    expect(v.tolerance).toBe(RTNEURAL_CONTRACT.parityTolerance);
    expect(v.maxAbsErr).toBeLessThanOrEqual(1e-4);
    expect(v.hopMs).toBe(16);
    expect(v.frames).toBe(40);
    const json = JSON.parse(await readFile(v.file, 'utf8')) as {
      in_shape: unknown[];
      layers: { type: string }[];
    };
    expect(json.in_shape).toEqual([null, null, 8]);
    expect(json.layers.map((l) => l.type)).toEqual(['dense', 'conv1d', 'lstm', 'dense']);
    const detail = getRun(tracker, run.id);
    tracker.close();
    expect(detail.artifacts.map((a) => a.kind).sort()).toEqual([
      'native-report',
      'parity-report',
      'rtneural',
      'rtneural-held-out',
    ]);
    expect(detail.metrics.find((m) => m.key === 'rtneural_max_abs_err')?.last).toBe(v.maxAbsErr);
    expect(detail.metrics.find((m) => m.key === 'rtneural_realtime_ratio')?.last).toBeGreaterThan(0);
    const native = (key: string) => detail.metrics.find((m) => m.key === key)?.last ?? Number.NaN;
    expect(native('native_rtneural_max_abs_err')).toBeLessThanOrEqual(1e-4);
    expect(native('native_rtneural_p99_ms')).toBeGreaterThanOrEqual(native('native_rtneural_frame_ms'));
    const held = JSON.parse(await readFile(join(v.file, '..', 'held-out.json'), 'utf8')) as {
      clips: { input: number[][]; expected: number[][]; offset: number }[];
    };
    // the conv's 4 history frames are zero-padded for predict, so every streamed frame has a tfjs row
    expect(held.clips.map((c) => [c.input.length, c.expected.length, c.offset])).toEqual([
      [20, 20, 0],
      [20, 20, 0],
    ]);
    tf.dispose(x);
    model.dispose();
  });

  it('throws a ParityError with the figures on a failed parity, after recording the report and metrics: softmax logits above ~88 overflow in RTNeural (not max-shifted)', async () => {
    const tracker = openTracker({ home, handleSignals: false });
    const run = await tracker.startRun({ experiment: 'emotionrecognizer', config: {} });
    const model = createEmotionRecognizer({
      inputBands: 8,
      convFilters: 4,
      lstmUnits: 6,
      classes: 7,
      seed: 2,
    });
    const head = model.getLayer('emotion');
    const [k, b] = head.getWeights();
    const big = tf.mul(k!, 1e4);
    head.setWeights([big, b!]); // tfjs' softmax is max-shifted and stays finite; RTNeural's overflows
    const x = tf.randomNormal<tf.Rank.R3>([1, 10, 8], 0, 1, 'float32', 5);
    const outDir = join(await run.artifactDir(), 'rtneural');
    const error = await exportAndVerify(model, x, outDir, 'emotionrecognizer', run, 0).then(
      () => null,
      (e: unknown) => e,
    );
    await run.end();
    expect(error).toBeInstanceOf(ParityError);
    const e = error as ParityError;
    expect(e.maxAbsErr).toBeGreaterThan(1e-4);
    expect(e.tolerance).toBe(1e-4);
    expect(e.clips).toBe(1);
    expect(e.reportFile).toBe(join(outDir, 'parity-report.json'));
    expect(e.message).toMatch(
      /^RTNeural parity failed: max \|tfjs − RTNeural\| = \S+ > 1e-4 on 1 held-out clips \(report: rtneural\/parity-report\.json\)$/,
    );
    const report = JSON.parse(await readFile(e.reportFile, 'utf8')) as { passed: boolean; tolerance: number };
    expect(report).toMatchObject({ passed: false, tolerance: 1e-4 });
    const detail = getRun(tracker, run.id);
    tracker.close();
    expect(detail.artifacts.map((a) => a.kind).sort()).toEqual(['parity-report', 'rtneural']);
    expect(detail.metrics.find((m) => m.key === 'rtneural_max_abs_err')).toBeDefined();
    expect((detail.system as { rtneural?: { passed: boolean } }).rtneural?.passed).toBe(false);
    tf.dispose([x, big]);
    model.dispose();
  });
});
