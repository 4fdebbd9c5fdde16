// checkNativeModel end to end on a real build: a held-out set taken from the test vectors passes, a lying
// "tfjs" output is caught, and a model RTNeural rejects comes back with RTNeural's reason.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { HeldOut } from '../src/held-out';
import { checkNativeModel, judgeNative } from '../src/native-check';
import { fixtureJson, RTNEURAL_FIXTURES, skipNative, VENDOR_RTNEURAL } from './support';

const skip = skipNative();
const limits = { tolerance: 1e-4, hopMs: 16, maxHopShare: 0.25 };

function heldOutOf(name: string, tweak = 0): HeldOut {
  const input = fixtureJson<number[][]>(name, 'input.json');
  const expected = fixtureJson<number[][]>(name, 'expected.json').map((r, t) =>
    t === 5 ? r.map((v) => v + tweak) : r,
  );
  return {
    format: 'kelly-rtneural-held-out',
    version: 1,
    source: 'fixture',
    inSize: input[0]!.length,
    outSize: expected[0]!.length,
    clips: [{ input, expected, offset: 0 }],
  };
}

describe.skipIf(skip)('checkNativeModel', () => {
  const model = (name: string) => join(RTNEURAL_FIXTURES, name, 'model.json');

  it('matches recorded outputs and times ≥ 1,000 frames', async () => {
    const o = await checkNativeModel({
      modelPath: model('lstm-stacked-melody'),
      heldOut: heldOutOf('lstm-stacked-melody'),
      rtneuralDir: VENDOR_RTNEURAL,
    });
    if (o.status !== 'ran') throw new Error(JSON.stringify(o));
    expect(o.maxAbsErr).toBeLessThan(1e-6);
    expect(o.timing.frames).toBeGreaterThanOrEqual(1000);
    expect(o.timing.p99Ms).toBeGreaterThanOrEqual(o.timing.medianMs);
    expect(o.layers.map((l) => l.name)).toEqual(['lstm', 'lstm', 'dense', 'sigmoid']);
    const v = judgeNative(o, limits);
    expect(v.passed).toBe(true);
    expect(v.summary).toMatch(
      /^max \|RTNeural − tfjs\| .* ≤ 1\.00e-4; median .* ms\/frame = .* of the 16 ms hop \(within 25 %\)$/,
    );
  });

  it('one output value off by 1e-3 fails the comparison', async () => {
    const o = await checkNativeModel({
      modelPath: model('dense-tanh'),
      heldOut: heldOutOf('dense-tanh', 1e-3),
      rtneuralDir: VENDOR_RTNEURAL,
    });
    if (o.status !== 'ran') throw new Error(JSON.stringify(o));
    expect(o.maxAbsErr).toBeGreaterThan(9e-4);
    expect(judgeNative(o, limits)).toMatchObject({ passed: false });
  });

  it('a model RTNeural rejects fails with its own message', async () => {
    const o = await checkNativeModel({
      modelPath: join(RTNEURAL_FIXTURES, 'invalid', 'gru-bias-1d.json'),
      heldOut: heldOutOf('dense-tanh'),
      rtneuralDir: VENDOR_RTNEURAL,
    });
    expect(o).toMatchObject({
      status: 'failed',
      stage: 'parse',
      reason: '[json.exception.type_error.304] cannot use at() with number',
    });
    expect(judgeNative(o, limits).summary).toBe(
      'RTNeural rejected the model: [json.exception.type_error.304] cannot use at() with number',
    );
  });

  it('a too-slow model fails the time limit', async () => {
    const o = await checkNativeModel({
      modelPath: model('dense-tanh'),
      heldOut: heldOutOf('dense-tanh'),
      rtneuralDir: VENDOR_RTNEURAL,
    });
    if (o.status !== 'ran') throw new Error(JSON.stringify(o));
    expect(judgeNative(o, { ...limits, hopMs: o.timing.p99Ms / 2 })).toMatchObject({ passed: false });
  });
});
