import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CausalConv1D } from '../definitions/causal-conv1d';
import { createEmotionNodeClassifier } from '../definitions/emotion-node-classifier';
import { causalPadFrames, createEmotionRecognizer } from '../definitions/emotion-recognizer';
import { createGroovePredictor } from '../definitions/groove-predictor';
import { createMelodyTransformer } from '../definitions/melody-transformer';
import { fusedLstmLayer } from '../lstm/fused-lstm';
import { exportToRtneural } from './export';
import { checkParity, historyFrames } from './parity';
import { randomClips, randomizeWeights, PARITY_TOLERANCE } from './test-models';

beforeAll(async () => {
  await tf.setBackend('cpu'); // inference only, small configs
});

describe('export round trip of the project layers (FusedLSTM, TimeDense, CausalConv1D)', () => {
  it('a model built with FusedLSTM exports as lstm and matches tfjs within 1e-4', () => {
    const model = tf.sequential();
    model.add(fusedLstmLayer({ units: 12, returnSequences: true, inputShape: [null, 6], seed: 1 }));
    model.add(fusedLstmLayer({ units: 7, returnSequences: true, seed: 2 }));
    model.add(tf.layers.dense({ units: 4, activation: 'tanh' }));
    randomizeWeights(model, 21);
    const json = exportToRtneural(model);
    expect(json.layers.map((l) => `${l.type}:${l.shape.at(-1)}`)).toEqual(['lstm:12', 'lstm:7', 'dense:4']);
    const report = checkParity(model, json, randomClips(2, 50, 6, 22), PARITY_TOLERANCE);
    expect(report.frames).toBe(100);
    expect(report.maxAbsErr).toBeLessThanOrEqual(1e-4);
  });

  it.each([
    [
      'melody',
      () => createMelodyTransformer({ inputBands: 16, lstmUnits: 16, lstmLayers: 2, pitches: 20 }),
      16,
      ['lstm', 'lstm', 'dense'],
    ],
    [
      'groove',
      () => createGroovePredictor({ inputDim: 8, lstm1Units: 12, lstm2Units: 6, outputs: 5 }),
      8,
      ['lstm', 'lstm', 'dense'],
    ],
    [
      'emotion',
      () =>
        createEmotionRecognizer({
          inputBands: 10,
          inputNorm: true,
          convFilters: 6,
          kernelSize: 3,
          dilation: 2,
          lstmUnits: 8,
        }),
      10,
      ['dense', 'conv1d', 'lstm', 'dense'], // frozen input-norm TimeDense first
    ],
    [
      'emotion-node',
      () => createEmotionNodeClassifier({ inputBands: 10, lstm1Units: 8, lstm2Units: 8 }),
      10,
      ['lstm', 'lstm', 'dense'],
    ],
  ] as const)('%s model definition: export + parity ≤ 1e-4', (_name, create, inDim, types) => {
    const model = create();
    randomizeWeights(model, 31);
    const json = exportToRtneural(model);
    expect(json.layers.map((l) => l.type)).toEqual(types);
    const report = checkParity(model, json, randomClips(2, 24, inDim, 32), PARITY_TOLERANCE);
    expect(report.frames).toBe(48); // every streamed frame compared (emotion: zero history padded for tfjs)
    expect(report.maxAbsErr).toBeLessThanOrEqual(1e-4);
  });

  it("CausalConv1D: 'causal' keeps every frame, 'valid' consumes causalPadFrames that checkParity supplies as zeros", () => {
    const config = { inputBands: 10, convFilters: 4, kernelSize: 5, dilation: 3, lstmUnits: 4 };
    expect(historyFrames(createEmotionRecognizer(config))).toBe(0);
    const valid = tf.sequential();
    valid.add(
      new CausalConv1D({
        filters: 4,
        kernelSize: 5,
        dilation: 3,
        padding: 'valid',
        activation: 'elu',
        inputShape: [null, 10],
      }),
    );
    valid.add(fusedLstmLayer({ units: 5, returnSequences: true }));
    randomizeWeights(valid, 41);
    expect(historyFrames(valid)).toBe(causalPadFrames(config));
    const report = checkParity(valid, exportToRtneural(valid), randomClips(1, 30, 10, 42), PARITY_TOLERANCE);
    expect(report.frames).toBe(30);
    expect(report.maxAbsErr).toBeLessThanOrEqual(1e-4);
  });
});
