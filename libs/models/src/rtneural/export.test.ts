import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportToRtneural, float32ToJsonNumber, RtneuralExportError } from './export';
import { loadRtneuralModel } from './inference';
import { checkParity, historyFrames } from './parity';
import { measureRealtime } from './realtime';
import { randomClips, randomizeWeights, rng, PARITY_TOLERANCE } from './test-models';
import { validateRtneuralModel } from './validate';

function lstmDenseModel(): tf.Sequential {
  const model = tf.sequential();
  model.add(
    tf.layers.lstm({
      units: 8,
      returnSequences: true,
      recurrentActivation: 'sigmoid',
      inputShape: [null, 5],
    }),
  );
  model.add(tf.layers.dropout({ rate: 0.2 }));
  model.add(tf.layers.dense({ units: 3 }));
  return model;
}

beforeAll(async () => {
  await tf.setBackend('cpu'); // inference-only, tiny models
});

describe('exportToRtneural + checkParity', () => {
  it('round-trips a stock LSTM (sigmoid) + dense model within 1e-4, through a JSON file string', () => {
    const model = lstmDenseModel();
    randomizeWeights(model, 1);
    const before = tf.memory().numTensors;
    const json = exportToRtneural(model);
    expect(json.in_shape).toEqual([null, null, 5]);
    expect(json.layers.map((l) => [l.type, l.activation])).toEqual([
      ['lstm', 'tanh'],
      ['dense', ''], // linear is written as "", dropout is left out
    ]);
    const reloaded: unknown = JSON.parse(JSON.stringify(json));
    expect(validateRtneuralModel(reloaded).ok).toBe(true);
    const report = checkParity(model, reloaded, randomClips(3, 40, 5, 2), PARITY_TOLERANCE);
    expect(report.frames).toBe(120);
    expect(report.perClip).toHaveLength(3);
    expect(report.maxAbsErr).toBeLessThanOrEqual(1e-4);
    expect(tf.memory().numTensors).toBe(before); // export and parity leak no tensors
  });

  it('round-trips a dilated conv1d (valid) → batchnorm → prelu → relu → LSTM → softmax dense within 1e-4', () => {
    const model = tf.sequential();
    model.add(
      tf.layers.conv1d({
        filters: 6,
        kernelSize: 3,
        dilationRate: 2,
        padding: 'valid',
        activation: 'tanh',
        inputShape: [null, 4],
      }),
    );
    model.add(tf.layers.batchNormalization({ epsilon: 0.001 }));
    model.add(tf.layers.prelu({ sharedAxes: [1] }));
    model.add(tf.layers.activation({ activation: 'relu' }));
    model.add(tf.layers.lstm({ units: 5, returnSequences: true, recurrentActivation: 'sigmoid' }));
    model.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
    randomizeWeights(model, 3);
    expect(historyFrames(model)).toBe(4); // (k−1)·d
    const json = exportToRtneural(model);
    expect(json.layers.map((l) => l.type)).toEqual([
      'conv1d',
      'batchnorm',
      'prelu',
      'activation',
      'lstm',
      'dense',
    ]);
    expect(json.layers[0]).toMatchObject({ kernel_size: [3], dilation: [2], activation: 'tanh' });
    // predict gets 4 zero frames in front (RTNeural's causal history), so all 30 frames per clip compare.
    const clips = tf.tensor3d(
      randomClips(2, 30, 4, 4).flatMap((c) => c.flatMap((f) => [...f])),
      [2, 30, 4],
    );
    const report = checkParity(model, json, clips, PARITY_TOLERANCE);
    clips.dispose();
    expect(report.frames).toBe(2 * 30);
    expect(report.maxAbsErr).toBeLessThanOrEqual(1e-4);
  });

  it('compares the last frame of an LSTM with returnSequences false, and a 2-D dense model per frame', () => {
    const last = tf.sequential();
    last.add(tf.layers.lstm({ units: 6, recurrentActivation: 'sigmoid', inputShape: [null, 3] }));
    last.add(tf.layers.dense({ units: 2, activation: 'elu' }));
    randomizeWeights(last, 5);
    const r1 = checkParity(last, exportToRtneural(last), randomClips(2, 25, 3, 6), PARITY_TOLERANCE);
    expect(r1.frames).toBe(2);
    expect(r1.maxAbsErr).toBeLessThanOrEqual(1e-4);

    const flat = tf.sequential();
    flat.add(tf.layers.dense({ units: 7, activation: 'sigmoid', inputShape: [4] }));
    flat.add(tf.layers.dense({ units: 2, useBias: false }));
    randomizeWeights(flat, 7);
    const json = exportToRtneural(flat);
    expect(json.layers[1]!.weights[1]).toEqual([0, 0]); // zero bias written explicitly
    const r2 = checkParity(flat, json, randomClips(1, 10, 4, 8), PARITY_TOLERANCE);
    expect(r2.frames).toBe(10);
    expect(r2.maxAbsErr).toBeLessThanOrEqual(1e-4);
  });

  it('batchnorm without center (3 tfjs weights) is written as 4 arrays with beta = 0; 2-D prelu alpha [C]', () => {
    const model = tf.sequential();
    model.add(tf.layers.dense({ units: 5, inputShape: [3] }));
    model.add(tf.layers.batchNormalization({ center: false, epsilon: 0.01 }));
    model.add(tf.layers.prelu());
    randomizeWeights(model, 13);
    expect(model.layers[1]!.getWeights()).toHaveLength(3);
    const json = exportToRtneural(model);
    const bn = json.layers[1]!;
    expect(bn).toMatchObject({ type: 'batchnorm', epsilon: 0.01 });
    expect(bn.weights).toHaveLength(4);
    expect(bn.weights[1]).toEqual([0, 0, 0, 0, 0]);
    expect((json.layers[2]!.weights as number[][][])[0]![0]).toHaveLength(5);
    const report = checkParity(model, json, randomClips(1, 12, 3, 14), PARITY_TOLERANCE);
    expect(report.maxAbsErr).toBeLessThanOrEqual(1e-4);
  });

  it('parity catches a wrong export (one weight off by 0.05)', () => {
    const model = lstmDenseModel();
    randomizeWeights(model, 9);
    const json = exportToRtneural(model);
    const kernel = json.layers[1]!.weights[0] as number[][];
    kernel[0]![0] = kernel[0]![0]! + 0.05;
    const report = checkParity(model, json, randomClips(1, 20, 5, 10), PARITY_TOLERANCE);
    expect(report.maxAbsErr).toBeGreaterThan(1e-3);
    expect(report.passed).toBe(false);
  });

  it('writes float32 weights with 9 significant digits that round-trip exactly', () => {
    const r = rng(11);
    for (let i = 0; i < 1000; i++) {
      const x = Math.fround(r(3) * 10 ** Math.round(r(4)));
      expect(Math.fround(float32ToJsonNumber(x))).toBe(x);
    }
  });
});

describe('exportToRtneural refuses what RTNeural cannot run', () => {
  it('an LSTM with the tfjs default hardSigmoid recurrent activation', () => {
    const model = tf.sequential();
    model.add(tf.layers.lstm({ units: 4, returnSequences: true, inputShape: [null, 3], name: 'lstm_hs' }));
    expect(() => exportToRtneural(model)).toThrow(RtneuralExportError);
    expect(() => exportToRtneural(model)).toThrow(
      /layer "lstm_hs" \(LSTM\): recurrentActivation "hardSigmoid".*sigmoid/,
    );
  });

  it('a tfjs GRU (reset-before), naming the layer', () => {
    const model = tf.sequential();
    model.add(
      tf.layers.gru({
        units: 4,
        returnSequences: true,
        recurrentActivation: 'sigmoid',
        inputShape: [null, 3],
        name: 'g',
      }),
    );
    expect(() => exportToRtneural(model)).toThrow(/layer "g" \(GRU\): tfjs GRU is reset-before/);
  });

  it('an unsupported layer class and an unsupported activation', () => {
    const norm = tf.sequential();
    norm.add(tf.layers.dense({ units: 4, inputShape: [3] }));
    norm.add(tf.layers.layerNormalization({ name: 'ln' }));
    expect(() => exportToRtneural(norm)).toThrow(
      /layer "ln" \(LayerNormalization\) cannot be exported.*silently skip/,
    );

    const soft = tf.sequential();
    soft.add(tf.layers.dense({ units: 4, inputShape: [3], activation: 'softplus', name: 'sp' }));
    expect(() => exportToRtneural(soft)).toThrow(
      /layer "sp" \(Dense\): activation 'softplus' has no RTNeural equivalent/,
    );
  });

  it('non-finite weights, naming the layer and weight', () => {
    const model = tf.sequential();
    model.add(tf.layers.dense({ units: 2, inputShape: [2], name: 'bad' }));
    const [, b] = model.layers[0]!.getWeights();
    const nanKernel = tf.tensor2d([1, Number.NaN, 0, 1], [2, 2]);
    model.layers[0]!.setWeights([nanKernel, b!]);
    expect(() => exportToRtneural(model)).toThrow(
      /layer "bad" \(Dense\): weight .*kernel.*non-finite value \(NaN\) at flat index 1/,
    );
    nanKernel.dispose();
  });

  it('conv1d with same padding or stride 2', () => {
    const same = tf.sequential();
    same.add(
      tf.layers.conv1d({ filters: 2, kernelSize: 3, padding: 'same', inputShape: [null, 2], name: 'c' }),
    );
    expect(() => exportToRtneural(same)).toThrow(/layer "c" \(Conv1D\): padding "same"/);
    const strided = tf.sequential();
    strided.add(
      tf.layers.conv1d({ filters: 2, kernelSize: 3, strides: 2, inputShape: [null, 2], name: 's' }),
    );
    expect(() => exportToRtneural(strided)).toThrow(/layer "s" \(Conv1D\): strides .*stride 1 only/);
  });
});

describe('measureRealtime', () => {
  it('reports the median per-frame time and its ratio to the hop', () => {
    const model = lstmDenseModel();
    const json = exportToRtneural(model);
    const r = measureRealtime(json, { hopMs: 16, frames: 200, warmup: 20 });
    expect(r.perFrameMs).toBeGreaterThan(0);
    expect(r.p95FrameMs).toBeGreaterThanOrEqual(r.perFrameMs);
    expect(r.ratioToHop).toBeCloseTo(r.perFrameMs / 16, 12);
    expect(r.frames).toBeGreaterThanOrEqual(200);
    expect(loadRtneuralModel(json).outSize).toBe(3);
  });
});
