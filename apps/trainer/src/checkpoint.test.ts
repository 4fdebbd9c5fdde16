import * as tf from '@tensorflow/tfjs';
import {
  AdamW,
  createEmotionRecognizer,
  emotionLoss,
  selectBackend,
  trainableVariables,
  trainStep,
} from '@kelly/models';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint, saveCheckpoint } from './checkpoint';
import { epochOrder } from './training-loop';

let dir = '';
beforeAll(async () => {
  await selectBackend();
  dir = await mkdtemp(join(tmpdir(), 'kelly-ckpt-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('checkpoints', () => {
  it('round-trips weights, optimizer slots and loop state: the next step after loading equals the next step without', async () => {
    const make = () =>
      createEmotionRecognizer({ inputBands: 6, convFilters: 4, lstmUnits: 5, classes: 3, inputNorm: true });
    const model = make();
    const opt = new AdamW({ weightDecay: 1e-4, clipNorm: 5 });
    const x = tf.randomNormal<tf.Rank.R3>([4, 9, 6], 0, 1, 'float32', 11);
    const y = tf.tidy(() => tf.tile(tf.oneHot([0, 1, 2, 1], 3).reshape([4, 1, 3]).toFloat(), [1, 9, 1]));
    const vars = trainableVariables(model);
    for (let i = 0; i < 3; i++) trainStep(model, vars, opt, emotionLoss, x, y, 1e-2);
    const state = { epoch: 2, globalStep: 3, early: { best: 0.5, bestEpoch: 1, wait: 1 }, elapsedS: 1.5 };
    await saveCheckpoint(join(dir, 'last'), model, opt, state);

    const before = tf.memory().numTensors;
    const loaded = await loadCheckpoint(join(dir, 'last'), new AdamW({ weightDecay: 1e-4, clipNorm: 5 }), {
      patience: 5,
      minDelta: 0.001,
    });
    expect(loaded.state).toEqual(state);
    expect(loaded.early.state).toEqual(state.early);
    expect(loaded.optimizer.step).toBe(3);
    expect(Array.from((loaded.model.predict(x) as tf.Tensor).dataSync())).toEqual(
      Array.from((model.predict(x) as tf.Tensor).dataSync()),
    );

    const a = trainStep(model, vars, opt, emotionLoss, x, y, 1e-2).loss;
    const b = trainStep(
      loaded.model,
      trainableVariables(loaded.model),
      loaded.optimizer,
      emotionLoss,
      x,
      y,
      1e-2,
    ).loss;
    expect(b).toBe(a);
    const wa = model.getWeights().map((w) => Array.from(w.dataSync()));
    const wb = loaded.model.getWeights().map((w) => Array.from(w.dataSync()));
    expect(wb).toEqual(wa);
    loaded.model.dispose();
    loaded.optimizer.dispose();
    // what loading allocated (model weights, optimizer slots) is released by dispose
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before + 2);
    tf.dispose([x, y]);
    model.dispose();
    opt.dispose();
  });

  it('epoch order is a deterministic permutation per (seed, epoch)', () => {
    const a = epochOrder(50, 7, 3);
    expect(Array.from(a).sort((p, q) => p - q)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(Array.from(epochOrder(50, 7, 3))).toEqual(Array.from(a));
    expect(Array.from(epochOrder(50, 7, 4))).not.toEqual(Array.from(a));
  });
});
