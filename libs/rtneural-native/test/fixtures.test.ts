// Every RTNeural test vector in ../shared/fixtures/rtneural through the native runner: the library itself
// (as built here) must reproduce its own recorded outputs, and reject or crash on the invalid files exactly
// as the fixture README says.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureRunner } from '../src/build';
import { runRunner } from '../src/run-runner';
import { FIXTURE_CASES, fixtureJson, RTNEURAL_FIXTURES, skipNative, VENDOR_RTNEURAL } from './support';

const skip = skipNative();

/** What the real library does with each invalid file (fixtures/rtneural/invalid/README.md). */
const INVALID: Record<string, { stage: string; message: string | RegExp }> = {
  'activation-linear.json': {
    stage: 'crash',
    message: /crashed \(SIGSEGV\) after RTNeural printed "activation: linear"/,
  },
  'activation-gelu.json': {
    stage: 'crash',
    message: /crashed \(SIGSEGV\) after RTNeural printed "activation: gelu"/,
  },
  'lstm-bias-missing.json': {
    stage: 'parse',
    message: '[json.exception.out_of_range.401] array index 2 is out of range',
  },
  'lstm-weights-too-small.json': {
    stage: 'size',
    message: 'layers[0] (lstm): weights[0] (kernel) is [3][24], expected [3][32]',
  },
  'gru-bias-1d.json': {
    stage: 'parse',
    message: '[json.exception.type_error.304] cannot use at() with number',
  },
  'activation-missing-weights.json': {
    stage: 'parse',
    message: "[json.exception.out_of_range.403] key 'weights' not found",
  },
  'in-shape-missing.json': {
    stage: 'parse',
    message: "[json.exception.out_of_range.403] key 'in_shape' not found",
  },
  'lstm-weights-too-big.json': {
    stage: 'parse',
    message: 'vector::_M_range_check: __n (which is 16) >= this->size() (which is 16)',
  },
  'weight-null-nan.json': {
    stage: 'parse',
    message: '[json.exception.type_error.302] type must be number, but is null',
  },
  'unknown-layer-type-dropout.json': {
    stage: 'size',
    message: /layers\[1\] \(dropout\): not a layer type RTNeural knows/,
  },
  'activation-layer-without-activation-key.json': {
    stage: 'size',
    message: /no "activation" key, so RTNeural added no layer/,
  },
  'prelu-alpha-flat.json': {
    stage: 'parse',
    message: '[json.exception.type_error.302] type must be array, but is number',
  },
  'batchnorm-missing-epsilon.json': {
    stage: 'parse',
    message: "[json.exception.out_of_range.403] key 'epsilon' not found",
  },
  'dense-kernel-transposed.json': {
    stage: 'parse',
    message: 'vector::_M_range_check: __n (which is 3) >= this->size() (which is 3)',
  },
  'activation-shape-mismatch.json': {
    stage: 'size',
    message: /activation layer from its own shape \(3\), but the previous layer gives 4/,
  },
};

describe.skipIf(skip)('RTNeural test vectors through the native runner', () => {
  let binary = '';
  beforeAll(async () => {
    binary = (await ensureRunner({ rtneuralDir: VENDOR_RTNEURAL })).path;
  });

  it.each(FIXTURE_CASES)('%s reproduces expected.json within 1e-6', async (name) => {
    const input = fixtureJson<number[][]>(name, 'input.json');
    const expected = fixtureJson<number[][]>(name, 'expected.json');
    const r = await runRunner({
      binary,
      modelPath: join(RTNEURAL_FIXTURES, name, 'model.json'),
      clips: [input],
      timed: 1000,
    });
    if (!r.ok) throw new Error(`${name}: ${r.stage}: ${r.message}`);
    const got = r.output.clips[0]!;
    expect(got).toHaveLength(expected.length);
    let err = 0;
    expected.forEach((row, t) => {
      expect(got[t]).toHaveLength(row.length);
      row.forEach((v, j) => (err = Math.max(err, Math.abs(v - got[t]![j]!))));
    });
    expect(err).toBeLessThanOrEqual(1e-6);
    expect(r.inSize).toBe(input[0]!.length);
    expect(r.output.cpuNs).toHaveLength(1000);
    expect(Math.min(...r.output.cpuNs)).toBeGreaterThan(0);
  });

  it('a second clip starts from reset(): the same clip twice gives the same outputs', async () => {
    const input = fixtureJson<number[][]>('lstm-small', 'input.json');
    const r = await runRunner({
      binary,
      modelPath: join(RTNEURAL_FIXTURES, 'lstm-small', 'model.json'),
      clips: [input, input],
    });
    if (!r.ok) throw new Error(r.message);
    expect(r.output.clips[1]).toEqual(r.output.clips[0]);
  });

  it('every invalid file is covered by this table', () => {
    expect(
      readdirSync(join(RTNEURAL_FIXTURES, 'invalid'))
        .filter((f) => f.endsWith('.json'))
        .sort(),
    ).toEqual(Object.keys(INVALID).sort());
  });

  it.each(Object.entries(INVALID))('invalid/%s fails with what RTNeural does', async (file, want) => {
    const r = await runRunner({ binary, modelPath: join(RTNEURAL_FIXTURES, 'invalid', file), timed: 1 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.stage).toBe(want.stage);
    if (typeof want.message === 'string') expect(r.message).toBe(want.message);
    else expect(r.message).toMatch(want.message);
  });

  it('input frames of the wrong size are a size failure, not garbage', async () => {
    const r = await runRunner({
      binary,
      modelPath: join(RTNEURAL_FIXTURES, 'dense-tanh', 'model.json'),
      clips: [[[1, 2, 3]]],
    });
    expect(r).toMatchObject({
      ok: false,
      stage: 'size',
      message: 'input frames have 3 values, the model takes 8',
    });
  });
});
