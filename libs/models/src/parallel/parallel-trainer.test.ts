import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createParallelTrainer, shardRanges } from './parallel-trainer';
import { halfSquaredError, scaledSquaredError, tinyModel } from './tiny-model.fixture';

const modelSpec = {
  module: fileURLToPath(new URL('./tiny-model.fixture.ts', import.meta.url)),
  exportName: 'tinyModel',
  args: { seed: 4 },
};

async function lossCurve(
  workers: number,
  steps: number,
): Promise<{ losses: number[]; weights: Float32Array[] }> {
  const model = tinyModel({ seed: 4 });
  // set on the main thread only: the workers must receive these non-trainable weights
  const frozen = [tf.mul(tf.eye(3), 2), tf.fill([3], 0.5)];
  model.layers[0]!.setWeights(frozen);
  tf.dispose(frozen);
  const trainer = await createParallelTrainer({
    model,
    modelSpec,
    loss: 'binaryCrossentropy',
    optimizer: tf.train.adam(0.05),
    workers,
  });
  expect(trainer.workers).toBe(workers);
  const x = tf.randomNormal([5, 6, 3], 0, 1, 'float32', 9); // 5 rows: shards of 3 and 2
  const y = tf.tidy(() => tf.cast(tf.greater(tf.cumsum(x.slice([0, 0, 0], [5, 6, 2]), 1), 0), 'float32'));
  const losses: number[] = [];
  const tensors: number[] = [];
  try {
    for (let s = 0; s < steps; s++) {
      losses.push(await trainer.trainBatch(x, y));
      tensors.push(tf.memory().numTensors);
    }
  } finally {
    await trainer.dispose();
  }
  // Adam creates its slots at the first step; after that no step may leave tensors behind
  expect(new Set(tensors.slice(1)).size, `tensors per step: ${tensors.join(', ')}`).toBe(1);
  const weights = model.getWeights().map((w) => w.dataSync() as Float32Array);
  tf.dispose([x, y]);
  model.dispose();
  return { losses, weights };
}

describe('createParallelTrainer', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
  });

  it('splits a batch into contiguous shards differing by at most one row', () => {
    expect(shardRanges(5, 2)).toEqual([
      [0, 3],
      [3, 5],
    ]);
    expect(shardRanges(1, 3)).toEqual([
      [0, 1],
      [1, 1],
      [1, 1],
    ]);
  });

  it('2 worker threads give the same loss curve and weights as 1 in-process worker, leaking no tensors', async () => {
    const one = await lossCurve(1, 6);
    const two = await lossCurve(2, 6);
    expect(one.losses.at(-1)!).toBeLessThan(one.losses[0]! * 0.95); // it trains
    two.losses.forEach((l, i) => expect(Math.abs(l - one.losses[i]!), `step ${i}`).toBeLessThan(1e-4));
    two.weights.forEach((w, i) => {
      let m = 0;
      for (let k = 0; k < w.length; k++) m = Math.max(m, Math.abs(w[k]! - one.weights[i]![k]!));
      expect(m, `weight ${i}`).toBeLessThan(1e-4);
    });
  });

  it('gradients() with a custom loss module over 2 workers equals the full-batch gradient', async () => {
    const model = tinyModel({ seed: 6 });
    const fixture = modelSpec.module;
    const trainer = await createParallelTrainer({
      model,
      modelSpec: { ...modelSpec, args: { seed: 6 } },
      loss: { module: fixture, exportName: 'halfSquaredError' },
      workers: 2,
    });
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    // 3 rows: shards of 2 and 1; 1 row: fewer rows than workers, one shard
    for (const rows of [3, 1]) {
      const x = tf.randomNormal([rows, 6, 3], 0, 1, 'float32', 3);
      const y = tf.randomUniform([rows, 6, 2], 0, 1, 'float32', 4);
      const { loss, grads } = await trainer.gradients(x, y);
      const direct = tf.variableGrads(() => halfSquaredError(y, model.apply(x) as tf.Tensor), vars);
      expect(Math.abs(loss - direct.value.dataSync()[0]!)).toBeLessThan(1e-6);
      expect(grads).toHaveLength(vars.length);
      vars.forEach((v, i) => {
        const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(grads[i]!, direct.grads[v.name]!))).dataSync()[0]!);
        expect(diff, `${rows} rows, weight ${i}`).toBeLessThan(1e-6);
      });
      tf.dispose([x, y, direct.value, ...grads, ...Object.values(direct.grads)]);
    }
    await trainer.dispose();
    expect(trainer.timing().steps).toBe(2);
    model.dispose();
  });

  it('a loss factory described as data ({ module, exportName, args }) gets its args in every worker', async () => {
    const model = tinyModel({ seed: 5 });
    const trainer = await createParallelTrainer({
      model,
      modelSpec: { ...modelSpec, args: { seed: 5 } },
      loss: { module: modelSpec.module, exportName: 'scaledSquaredError', args: { scale: 2.5 } },
      workers: 2,
    });
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const x = tf.randomNormal([4, 6, 3], 0, 1, 'float32', 13);
    const y = tf.randomUniform([4, 6, 2], 0, 1, 'float32', 14);
    try {
      const { loss, grads } = await trainer.gradients(x, y);
      const scaled = scaledSquaredError({ scale: 2.5 });
      const direct = tf.variableGrads(() => scaled(y, model.apply(x) as tf.Tensor), vars);
      expect(Math.abs(loss - direct.value.dataSync()[0]!)).toBeLessThan(1e-6);
      const plain = tf.tidy(() => halfSquaredError(y, model.apply(x) as tf.Tensor).dataSync()[0]!);
      expect(loss / plain).toBeCloseTo(5, 4); // 2.5·MSE over ½·MSE: the weight reached the workers
      vars.forEach((v, i) => {
        const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(grads[i]!, direct.grads[v.name]!))).dataSync()[0]!);
        expect(diff, `weight ${i}`).toBeLessThan(1e-6);
      });
      tf.dispose([direct.value, ...grads, ...Object.values(direct.grads)]);
    } finally {
      tf.dispose([x, y]);
      await trainer.dispose();
      model.dispose();
    }
  });

  // Gradients are averaged in place in a shared buffer that the next step overwrites: the returned
  // tensors must be independent copies on every backend, and 3 shards must average like 2.
  for (const backend of ['wasm', 'cpu']) {
    it(`gradients() over 3 workers (${backend}) equal the full-batch gradient and survive the next call`, async () => {
      await tf.setBackend(backend);
      const model = tinyModel({ seed: 7 });
      const trainer = await createParallelTrainer({
        model,
        modelSpec: { ...modelSpec, args: { seed: 7 } },
        loss: 'meanSquaredError',
        workers: 3,
      });
      const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
      try {
        const x = tf.randomNormal([7, 6, 3], 0, 1, 'float32', 11); // shards of 3, 2 and 2 rows
        const y = tf.randomUniform([7, 6, 2], 0, 1, 'float32', 12);
        const first = await trainer.gradients(x, y);
        const kept = first.grads.map((g) => g.dataSync().slice());
        const direct = tf.variableGrads(
          () => tf.losses.meanSquaredError(y, model.apply(x) as tf.Tensor),
          vars,
        );
        vars.forEach((v, i) => {
          const diff = tf.tidy(
            () => tf.max(tf.abs(tf.sub(first.grads[i]!, direct.grads[v.name]!))).dataSync()[0]!,
          );
          expect(diff, `weight ${i}`).toBeLessThan(1e-6);
        });
        const x2 = tf.mul(x, -3);
        const second = await trainer.gradients(x2, y);
        first.grads.forEach((g, i) =>
          expect(g.dataSync(), `weight ${i} after the next call`).toEqual(kept[i]),
        );
        expect(second.grads[0]!.dataSync()).not.toEqual(kept[0]);
        tf.dispose([x, y, x2, direct.value, ...first.grads, ...second.grads, ...Object.values(direct.grads)]);
      } finally {
        await trainer.dispose();
        model.dispose();
        await tf.setBackend('wasm');
      }
    });
  }

  it('rejects x and y of different batch sizes, and an unknown loss', async () => {
    const model = tinyModel({ seed: 2 });
    const trainer = await createParallelTrainer({
      model,
      modelSpec,
      loss: 'meanSquaredError',
      optimizer: tf.train.sgd(0.1),
      workers: 1,
    });
    const [x, y] = [tf.zeros([3, 6, 3]), tf.zeros([2, 6, 2])];
    await expect(trainer.trainBatch(x, y)).rejects.toThrow(
      /same non-zero batch size.*\[3, 6, 3\].*\[2, 6, 2\]/,
    );
    await expect(
      createParallelTrainer({
        model,
        modelSpec,
        loss: 'hinge' as 'meanSquaredError',
        optimizer: tf.train.sgd(0.1),
        workers: 1,
      }),
    ).rejects.toThrow(/unknown loss 'hinge'/);
    await trainer.dispose();
    await expect(trainer.trainBatch(x, x)).rejects.toThrow(/after dispose/);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('rejects a model spec whose export does not exist, naming it', async () => {
    const model = tinyModel({ seed: 1 });
    await expect(
      createParallelTrainer({
        model,
        modelSpec: { ...modelSpec, exportName: 'nope' },
        loss: 'meanSquaredError',
        optimizer: tf.train.sgd(0.1),
        workers: 2,
      }),
    ).rejects.toThrow(/no function export 'nope'/);
    model.dispose();
  });
});
