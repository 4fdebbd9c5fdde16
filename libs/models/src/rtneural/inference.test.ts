import { describe, expect, it } from 'vitest';
import {
  FIXTURE_CASES,
  HAVE_RTNEURAL_FIXTURES,
  readFixtureJson,
  rtneuralFixtures,
} from './test-support/fixtures';
import { loadRtneuralModel } from './inference';

type Frames = number[][];

function maxAbsDiff(a: ArrayLike<number>, b: readonly number[]): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < b.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe.skipIf(!HAVE_RTNEURAL_FIXTURES)(
  `loadRtneuralModel reproduces RTNeural (${rtneuralFixtures.needs})`,
  () => {
    it.each(FIXTURE_CASES)(
      '%s: expected.json within 1e-5 (float) and expected-double.json within 1e-9',
      (name) => {
        const model = loadRtneuralModel(readFixtureJson(name, 'model.json'), name);
        const input = readFixtureJson(name, 'input.json') as Frames;
        const expectedFloat = readFixtureJson(name, 'expected.json') as Frames;
        const expectedDouble = readFixtureJson(name, 'expected-double.json') as Frames;
        expect(model.outSize).toBe(expectedFloat[0]!.length);
        model.reset();
        let errFloat = 0;
        input.forEach((frame, t) => {
          const y = model.forward(frame);
          expect(y).toBeInstanceOf(Float32Array);
          errFloat = Math.max(errFloat, maxAbsDiff(y, expectedFloat[t]!));
        });
        model.reset();
        let errDouble = 0;
        input.forEach((frame, t) => {
          errDouble = Math.max(errDouble, maxAbsDiff(model.forward64(frame), expectedDouble[t]!));
        });
        expect(errFloat).toBeLessThanOrEqual(1e-5);
        expect(errDouble).toBeLessThanOrEqual(1e-9);
      },
    );

    it('reset() restores the initial state (same outputs on a second pass) and state carries between frames', () => {
      const name = 'lstm-small';
      const model = loadRtneuralModel(readFixtureJson(name, 'model.json'));
      const input = readFixtureJson(name, 'input.json') as Frames;
      const first = input.slice(0, 20).map((f) => model.forward(f));
      model.reset();
      const second = input.slice(0, 20).map((f) => model.forward(f));
      expect(second).toEqual(first);
      // Same frame twice in a row gives different outputs: the LSTM carries (h, c).
      model.reset();
      const a = model.forward(input[0]!);
      const b = model.forward(input[0]!);
      expect(maxAbsDiff(a, Array.from(b))).toBeGreaterThan(1e-3);
    });

    it('conv1d keeps its dilated history: a frame only echoes (k−1)·d = 4 frames later', () => {
      const conv = {
        in_shape: [1],
        layers: [
          {
            type: 'conv1d',
            activation: '',
            shape: [1],
            kernel_size: [3],
            dilation: [2],
            weights: [[[[1]], [[0]], [[0]]], [0]],
          },
        ],
      };
      const model = loadRtneuralModel(conv);
      const out = [1, 0, 0, 0, 0, 0, 0].map((x) => model.forward([x])[0]);
      expect(out).toEqual([0, 0, 0, 0, 1, 0, 0]); // tap 0 is the oldest frame
    });

    it('softmax is not max-shifted: NaN once exp leaves the float32 range, as in the plugin', () => {
      const softmax = {
        in_shape: [2],
        layers: [{ type: 'activation', activation: 'softmax', shape: [2], weights: [] }],
      };
      const model = loadRtneuralModel(softmax);
      const y = model.forward([1, 0]);
      expect(y[0]).toBeCloseTo(Math.E / (Math.E + 1), 6);
      expect(Array.from(model.forward([80, 0])).every(Number.isFinite)).toBe(true);
      expect(Array.from(model.forward([90, 0])).some(Number.isNaN)).toBe(true);
    });

    it('rejects a frame of the wrong size and an invalid model', () => {
      const model = loadRtneuralModel(readFixtureJson('dense-tanh', 'model.json'));
      expect(() => model.forward([1, 2])).toThrow(/expects frames of 8 numbers, got 2/);
      expect(() => loadRtneuralModel(readFixtureJson('invalid', 'activation-linear.json'), 'x.json')).toThrow(
        /x\.json.*\n.*linear/,
      );
    });
  },
);
