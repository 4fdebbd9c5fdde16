import * as tf from '@tensorflow/tfjs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../backend';
import { AdamW } from '../training/adamw';
import { loadLayersModel, saveLayersModel } from '../training/checkpoint-io';
import { trainableVariables, trainStep, type LossFn } from '../training/train-step';
import { CausalConv1D } from './causal-conv1d';
import { createEmotionRecognizer, emotionLoss } from './emotion-recognizer';
import { INPUT_NORM_LAYER } from './input-norm-layer';
import {
  createEmotionNodeClassifier,
  EMOTION_NODE_OUTPUTS,
  emotionNodeLoss,
  emotionNodeTarget,
} from './emotion-node-classifier';
import { createGroovePredictor, grooveLoss } from './groove-predictor';
import { createMelodyTransformer, melodyLoss } from './melody-transformer';

let dir = '';
beforeAll(async () => {
  await selectBackend({ prefer: 'wasm' });
  dir = await mkdtemp(join(tmpdir(), 'kelly-defs-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A deterministic learnable task for each model: targets are a fixed function of the inputs. */
function fitCase(
  model: tf.LayersModel,
  loss: LossFn,
  x: tf.Tensor3D,
  y: tf.Tensor3D,
  steps: number,
): { first: number; last: number } {
  const vars = trainableVariables(model);
  const opt = new AdamW({ weightDecay: 1e-4 });
  const losses: number[] = [];
  let afterFirst = 0;
  for (let i = 0; i < steps; i++) {
    losses.push(trainStep(model, vars, opt, loss, x, y, 1e-2).loss);
    if (i === 0) afterFirst = tf.memory().numTensors;
  }
  // Steady state: the optimizer slots exist after step 1; later steps must not add tensors.
  expect(tf.memory().numTensors).toBe(afterFirst);
  opt.dispose();
  return { first: losses[0] ?? Number.NaN, last: losses[losses.length - 1] ?? Number.NaN };
}

describe('model definitions', () => {
  it('MelodyTransformer: seed shapes 64 → 3×LSTM256 → 128 sigmoid, sigmoid recurrent activation', () => {
    const model = createMelodyTransformer();
    expect(model.inputs[0]?.shape).toEqual([null, null, 64]);
    expect(model.outputs[0]?.shape).toEqual([null, null, 128]);
    const lstms = model.layers.filter((l) => l.getClassName() === 'FusedLSTM');
    expect(lstms).toHaveLength(3);
    for (const l of lstms) {
      const cfg = l.getConfig();
      expect(cfg.units).toBe(256);
      expect(cfg.recurrentActivation).toBe('sigmoid');
      expect(cfg.returnSequences).toBe(true);
    }
    expect(model.layers.find((l) => l.getClassName() === 'Dropout')?.getConfig().rate).toBe(0.2);
    expect(model.countParams()).toBe(4 * 256 * (64 + 256 + 1) + 2 * 4 * 256 * (256 + 256 + 1) + 257 * 128);
    model.dispose();
  });

  it('GroovePredictor, EmotionRecognizer and EmotionNodeClassifier give one output per frame', () => {
    const groove = createGroovePredictor({ inputDim: 10 });
    const emo = createEmotionRecognizer();
    const node = createEmotionNodeClassifier();
    tf.tidy(() => {
      expect((groove.predict(tf.zeros([2, 12, 10])) as tf.Tensor).shape).toEqual([2, 12, 32]);
      const probs = emo.predict(tf.randomNormal([2, 20, 64])) as tf.Tensor;
      expect(probs.shape).toEqual([2, 20, 7]);
      const sums = tf.sum(probs, -1).dataSync();
      for (const s of sums) expect(s).toBeCloseTo(1, 5);
      expect((node.predict(tf.zeros([1, 5, 64])) as tf.Tensor).shape).toEqual([1, 5, EMOTION_NODE_OUTPUTS]);
    });
    [groove, emo, node].forEach((m) => m.dispose());
  });

  it('a short fit lowers the loss of every model and leaks no tensors per step', () => {
    const results: Record<string, { first: number; last: number }> = {};
    {
      const m = createMelodyTransformer({ lstmUnits: 16, lstmLayers: 2, inputBands: 8, pitches: 12 });
      const x = tf.randomUniform<tf.Rank.R3>([4, 10, 8], 0, 1, 'float32', 1);
      const y = tf.tidy<tf.Tensor3D>(
        () =>
          tf.cast(
            tf.greater(tf.tile(x, [1, 1, 2]).slice([0, 0, 0], [4, 10, 12]), 0.8),
            'float32',
          ) as tf.Tensor3D,
      );
      results.melody = fitCase(m, melodyLoss, x, y, 25);
      tf.dispose([x, y]);
      m.dispose();
    }
    {
      const m = createGroovePredictor({ inputDim: 4, lstm1Units: 16, lstm2Units: 8, outputs: 3 });
      const x = tf.randomNormal<tf.Rank.R3>([4, 8, 4], 0, 1, 'float32', 2);
      const y = tf.tidy(() => tf.mul<tf.Tensor3D>(x.slice([0, 0, 0], [4, 8, 3]), 0.5));
      results.groove = fitCase(m, grooveLoss, x, y, 25);
      tf.dispose([x, y]);
      m.dispose();
    }
    {
      const m = createEmotionRecognizer({ inputBands: 6, convFilters: 8, lstmUnits: 8, classes: 3 });
      const labels = [0, 1, 2, 1];
      const x = tf.tidy<tf.Tensor3D>(() =>
        tf.concat<tf.Tensor3D>(
          labels.map((c) => tf.fill([1, 10, 6], c - 1)),
          0,
        ),
      );
      const y = tf.tidy<tf.Tensor3D>(
        () => tf.tile(tf.oneHot(labels, 3).reshape([4, 1, 3]).toFloat(), [1, 10, 1]) as tf.Tensor3D,
      );
      results.emotion = fitCase(m, emotionLoss, x, y, 25);
      tf.dispose([x, y]);
      m.dispose();
    }
    {
      const m = createEmotionNodeClassifier({ inputBands: 6, lstm1Units: 8, lstm2Units: 8 });
      const nodes = [0, 100, 215];
      const x = tf.tidy<tf.Tensor3D>(() =>
        tf.concat<tf.Tensor3D>(
          nodes.map((n) => tf.fill([1, 6, 6], n / 100 - 1)),
          0,
        ),
      );
      const y = tf.tidy<tf.Tensor3D>(
        () =>
          tf.stack(
            nodes.map((n) =>
              tf.stack(Array.from({ length: 6 }, () => tf.tensor1d(emotionNodeTarget(n, 0.5)))),
            ),
          ) as tf.Tensor3D,
      );
      results.node = fitCase(m, emotionNodeLoss, x, y, 25);
      tf.dispose([x, y]);
      m.dispose();
    }
    for (const [name, r] of Object.entries(results)) {
      expect(Number.isFinite(r.last), name).toBe(true);
      expect(r.last, name).toBeLessThan(r.first * 0.9);
    }
  });

  it('CausalConv1D equals a zero-history causal convolution computed by hand', () => {
    const layer = new CausalConv1D({ filters: 2, kernelSize: 3, dilation: 2, inputShape: [null, 1] });
    const model = tf.sequential({ layers: [layer] });
    const k = tf.tensor3d([1, 10, 100, 1000, 10000, 100000], [3, 1, 2]);
    const b = tf.tensor1d([0.5, -0.5]);
    layer.setWeights([k, b]);
    const xs = [1, 2, 3, 4, 5, 6];
    const x = tf.tensor3d(xs, [1, 6, 1]);
    const y = Array.from((model.predict(x) as tf.Tensor).dataSync());
    const at = (t: number): number => (t >= 0 ? (xs[t] ?? 0) : 0);
    // tap 2 = current frame, tap 1 = t−2, tap 0 = t−4 (RTNeural's convention)
    const want = xs.flatMap((_, t) => [
      0.5 + at(t - 4) * 1 + at(t - 2) * 100 + at(t) * 10000,
      -0.5 + at(t - 4) * 10 + at(t - 2) * 1000 + at(t) * 100000,
    ]);
    expect(y).toEqual(want);
    tf.dispose([k, b, x]);
    model.dispose();
  });

  it('the frozen input-norm layer is not trainable and starts as the identity', () => {
    const m = createMelodyTransformer({
      inputBands: 4,
      lstmUnits: 3,
      lstmLayers: 1,
      pitches: 2,
      inputNorm: true,
    });
    const norm = m.getLayer(INPUT_NORM_LAYER);
    expect(m.layers[0]?.name).toBe(INPUT_NORM_LAYER);
    expect(norm.trainable).toBe(false);
    expect(m.trainableWeights.some((w) => w.originalName.startsWith(INPUT_NORM_LAYER))).toBe(false);
    expect(Array.from(norm.getWeights()[0]?.dataSync() ?? [])).toEqual(Array.from(tf.eye(4).dataSync()));
    m.dispose();
  });

  it('a seed makes the initial weights reproducible', () => {
    const make = (seed: number) =>
      createEmotionNodeClassifier({ inputBands: 4, lstm1Units: 3, lstm2Units: 2, seed });
    const [a, b, c] = [make(5), make(5), make(6)];
    const w = (m: tf.LayersModel) => m.getWeights().map((t) => Array.from(t.dataSync()));
    expect(w(b)).toEqual(w(a));
    expect(w(c)).not.toEqual(w(a));
    [a, b, c].forEach((m) => m.dispose());
  });

  it('save/load round trip reproduces predictions exactly', async () => {
    const m = createEmotionRecognizer({
      inputBands: 8,
      convFilters: 4,
      lstmUnits: 6,
      classes: 7,
      inputNorm: true,
    });
    const files = await saveLayersModel(m, join(dir, 'emo'));
    expect(files.modelJson.endsWith('model.json')).toBe(true);
    const back = await loadLayersModel(join(dir, 'emo'));
    const x = tf.randomNormal([2, 9, 8], 0, 1, 'float32', 3);
    const a = (m.predict(x) as tf.Tensor).dataSync();
    const b = (back.predict(x) as tf.Tensor).dataSync();
    expect(Array.from(b)).toEqual(Array.from(a));
    const lstm = back.layers.find((l) => l.getClassName() === 'FusedLSTM');
    expect(lstm?.getConfig().recurrentActivation).toBe('sigmoid');
    tf.dispose([x]);
    m.dispose();
    back.dispose();
  });
});
