import { describe, expect, it } from 'vitest';
import {
  FIXTURE_CASES,
  HAVE_RTNEURAL_FIXTURES,
  invalidFixtureFiles,
  readFixtureJson,
  rtneuralFixtures,
} from './test-support/fixtures';
import { assertRtneuralModel, RtneuralModelError, validateRtneuralModel } from './validate';

/** For each invalid fixture: the JSON path and the reason its README gives, as a message pattern. */
const INVALID_REASONS: Record<string, { path: string; message: RegExp }> = {
  'activation-linear.json': {
    path: 'layers[0].activation',
    message: /"linear" is not one RTNeural supports.*write linear as ""/,
  },
  'activation-gelu.json': { path: 'layers[1].activation', message: /"gelu" is not one RTNeural supports/ },
  'lstm-bias-missing.json': {
    path: 'layers[0].weights',
    message: /lstm weights must be \[kernel, recurrent, bias\]/,
  },
  'lstm-weights-too-small.json': {
    path: 'layers[0].weights[0][0]',
    message: /lstm kernel.*U = 8: row 0 has 24 entries, expected 32/,
  },
  'gru-bias-1d.json': { path: 'layers[0].weights[2][0]', message: /gru bias must be \[2\]\[3U\]/ },
  'activation-missing-weights.json': {
    path: 'layers[1].weights',
    message: /activation layer needs "weights": \[\]/,
  },
  'in-shape-missing.json': { path: 'in_shape', message: /required key "in_shape" is missing/ },
  'lstm-weights-too-big.json': {
    path: 'layers[0].weights[0][0]',
    message: /U = 4: row 0 has 20 entries, expected 16/,
  },
  'weight-null-nan.json': { path: 'layers[0].weights[0][1][2]', message: /null where a number is required/ },
  'unknown-layer-type-dropout.json': {
    path: 'layers[1].type',
    message: /unknown layer type "dropout": RTNeural silently skips it/,
  },
  'activation-layer-without-activation-key.json': {
    path: 'layers[1].activation',
    message: /activation layer needs an "activation" key/,
  },
  'prelu-alpha-flat.json': {
    path: 'layers[1].weights[0]',
    message: /prelu weights must be \[\[alpha\[C\]\]\]/,
  },
  'batchnorm-missing-epsilon.json': {
    path: 'layers[1].epsilon',
    message: /batchnorm needs a finite numeric "epsilon"/,
  },
  'dense-kernel-transposed.json': {
    path: 'layers[0].weights[0]',
    message: /dense kernel.*in = 3.*has 5 rows, expected 3/,
  },
  'activation-shape-mismatch.json': {
    path: 'layers[1].shape',
    message: /shape says 3, but the previous layer outputs 4/,
  },
};

interface LooseModel {
  in_shape: (number | null)[];
  layers: {
    type: string;
    activation: string;
    shape: (number | null)[];
    weights: number[][][] | (number[][] | number[])[];
  }[];
}

const tiny = (): LooseModel => ({
  in_shape: [null, null, 2],
  layers: [
    {
      type: 'dense',
      activation: 'tanh',
      shape: [null, null, 3],
      weights: [
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
        [0, 0, 0],
      ],
    },
    { type: 'dense', activation: '', shape: [null, null, 1], weights: [[[1], [1], [1]]] },
  ],
});

describe.skipIf(!HAVE_RTNEURAL_FIXTURES)(
  `validateRtneuralModel on the shared fixtures (${rtneuralFixtures.needs})`,
  () => {
    it('has a stated reason for every invalid fixture file (none added or removed unnoticed)', () => {
      expect(invalidFixtureFiles()).toEqual(Object.keys(INVALID_REASONS).sort());
    });

    it.each(Object.entries(INVALID_REASONS))('rejects invalid/%s with its README reason', (file, reason) => {
      const result = validateRtneuralModel(readFixtureJson('invalid', file));
      expect(result.ok).toBe(false);
      expect(result.model).toBeUndefined();
      expect(result.errors).toContainEqual({
        path: reason.path,
        message: expect.stringMatching(reason.message),
      });
    });

    it.each(FIXTURE_CASES)('accepts the valid fixture model %s', (name) => {
      const result = validateRtneuralModel(readFixtureJson(name, 'model.json'));
      expect(result.errors).toEqual([]);
      expect(result.ok).toBe(true);
      expect(result.model?.layers.length).toBeGreaterThan(0);
    });
  },
);

describe('validateRtneuralModel rules', () => {
  it('accepts a minimal model with an omitted dense bias', () => {
    expect(validateRtneuralModel(tiny())).toMatchObject({ ok: true, errors: [] });
  });

  it('rejects NaN and Infinity given as JS numbers with their path', () => {
    const m = tiny();
    (m.layers[0]!.weights[0] as number[][])[1]![2] = Number.NaN;
    (m.layers[1]!.weights[0] as number[][])[2]![0] = Number.POSITIVE_INFINITY;
    const { errors } = validateRtneuralModel(m);
    expect(errors.map((e) => e.path)).toEqual(['layers[0].weights[0][1][2]', 'layers[1].weights[0][2][0]']);
    expect(errors[0]!.message).toMatch(/finite number, got NaN/);
  });

  it('checks sizes against the previous layer, not the first', () => {
    const m = tiny();
    m.layers[1]!.weights = [[[1], [1]]]; // 2 rows, but the previous dense outputs 3
    expect(validateRtneuralModel(m).errors).toEqual([
      { path: 'layers[1].weights[0]', message: expect.stringMatching(/in = 3.*has 2 rows, expected 3/) },
    ]);
  });

  it('refuses conv2d (parsed by RTNeural, but unverified here) and a grouped conv1d', () => {
    const m = { in_shape: [2], layers: [{ type: 'conv2d', shape: [null, 1], weights: [] }] };
    expect(validateRtneuralModel(m).errors[0]).toMatchObject({
      path: 'layers[0].type',
      message: expect.stringMatching(/not supported/),
    });
    const conv = {
      in_shape: [2],
      layers: [
        {
          type: 'conv1d',
          shape: [1],
          kernel_size: [1],
          dilation: 1,
          groups: 2,
          weights: [[[[1], [1]]], [0]],
        },
      ],
    };
    expect(validateRtneuralModel(conv).errors).toEqual([
      { path: 'layers[0].groups', message: expect.stringMatching(/grouped/) },
    ]);
  });

  it('rejects a batchnorm with 3 arrays, which RTNeural misreads as [mean, variance]', () => {
    const m = {
      in_shape: [2],
      layers: [
        {
          type: 'batchnorm',
          shape: [2],
          epsilon: 0.001,
          weights: [
            [1, 1],
            [0, 0],
            [1, 1],
          ],
        },
      ],
    };
    expect(validateRtneuralModel(m).errors[0]?.message).toMatch(/needs 4 arrays.*got 3/);
  });

  it('assertRtneuralModel names the source in its error', () => {
    expect(() => assertRtneuralModel({ layers: [] }, 'models/melody.json')).toThrow(RtneuralModelError);
    expect(() => assertRtneuralModel({ layers: [] }, 'models/melody.json')).toThrow(
      /models\/melody\.json.*\n.*in_shape/,
    );
  });
});
