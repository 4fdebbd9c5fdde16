import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FusedLSTM, fusedLstmLayer } from './fused-lstm';
import { loadStockLstmWeights } from './stock-lstm-weights';

const [B, T, D, H] = [3, 5, 4, 6];

// tfjs-node is an optional dependency that cannot install without internet: run its suite when present.
const TFJS_NODE = '@tensorflow/tfjs-node';
const hasTfjsNode = await import(/* @vite-ignore */ TFJS_NODE).then(
  () => true,
  () => false,
);

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  expect(a.shape).toEqual(b.shape);
  const x = a.dataSync();
  const y = b.dataSync();
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  return m;
}

/** Loss Σ y·R (R fixed) and its gradients w.r.t. the input and the layer's kernel, recurrent kernel, bias. */
function lossAndGrads(layer: tf.layers.Layer, x: tf.Variable, r: tf.Tensor) {
  const vars = [x, ...layer.trainableWeights.map((w) => w.read() as tf.Variable)];
  let y: tf.Tensor | undefined;
  const { value, grads } = tf.variableGrads(() => {
    y = tf.keep(layer.apply(x) as tf.Tensor);
    return tf.sum(tf.mul(y, r));
  }, vars);
  return { y: y!, value, grads: vars.map((v) => grads[v.name]!) };
}

const backends = [
  { backend: 'wasm', available: true },
  { backend: 'cpu', available: true },
  { backend: 'tensorflow', available: hasTfjsNode },
];
for (const { backend, available } of backends) {
  const title = available
    ? `FusedLSTM on ${backend}`
    : `FusedLSTM on ${backend} (skipped: @tensorflow/tfjs-node not installed)`;
  describe.skipIf(!available)(title, () => {
    let previous = '';
    beforeAll(async () => {
      previous = tf.getBackend();
      await tf.setBackend(backend);
      await tf.ready();
    });
    afterAll(async () => {
      if (previous) await tf.setBackend(previous);
    });

    // [3, 5, 4, 6]: H % 4 ≠ 0 (the kernels' partial vectors, dZ packed after the steps); [2, 7, 12, 8]: H % 4 = 0
    // (dZ packed and db summed during the steps) with D = 12 (a partial 8-column panel in dX)
    for (const [returnSequences, [B, T, D, H]] of [
      [true, [3, 5, 4, 6]],
      [false, [3, 5, 4, 6]],
      [true, [2, 7, 12, 8]],
      [false, [2, 7, 12, 8]],
    ] as const) {
      it(`matches stock tf.layers.lstm (sigmoid) forward and gradients, returnSequences=${returnSequences}, [B, T, D, H] = [${B}, ${T}, ${D}, ${H}]`, () => {
        const stock = tf.layers.lstm({
          units: H,
          returnSequences,
          recurrentActivation: 'sigmoid',
          biasInitializer: 'randomNormal',
        });
        const fused = new FusedLSTM({ units: H, returnSequences, seed: 7 });
        const x = tf.variable(tf.randomNormal([B, T, D], 0, 1, 'float32', 1));
        const r = tf.randomNormal(returnSequences ? [B, T, H] : [B, H], 0, 1, 'float32', 2);
        stock.apply(x);
        fused.apply(x);
        loadStockLstmWeights(fused, stock);
        const a = lossAndGrads(stock, x, r);
        const b = lossAndGrads(fused, x, r);
        expect(maxAbsDiff(a.y, b.y)).toBeLessThan(1e-5);
        expect(Math.abs(a.value.dataSync()[0]! - b.value.dataSync()[0]!)).toBeLessThan(1e-4);
        const names = ['input', 'kernel', 'recurrent kernel', 'bias'];
        a.grads.forEach((g, i) => {
          const scale = Math.max(1, tf.max(tf.abs(g)).dataSync()[0]!);
          expect(maxAbsDiff(g, b.grads[i]!) / scale, names[i]).toBeLessThan(2e-5);
        });
        // the gradients are not all zero (a vacuous match would hide a broken backward)
        expect(tf.max(tf.abs(b.grads[2]!)).dataSync()[0]).toBeGreaterThan(1e-3);
        tf.dispose([x, r, a.y, a.value, ...a.grads, b.y, b.value, ...b.grads]);
        stock.dispose();
        fused.dispose();
      });
    }

    it('reuses its buffers from step to step without changing any result (earlier outputs stay intact)', () => {
      const reused = new FusedLSTM({ units: H, returnSequences: true, seed: 3 });
      const fresh = new FusedLSTM({ units: H, returnSequences: true, seed: 3 });
      const x1 = tf.variable(tf.randomNormal([B, T, D], 0, 1, 'float32', 11));
      const x2 = tf.variable(tf.randomNormal([B, T, D], 0, 1, 'float32', 12));
      const r = tf.randomNormal([B, T, H], 0, 1, 'float32', 13);
      const first = lossAndGrads(reused, x1, r);
      const firstY = Array.from(first.y.dataSync());
      const second = lossAndGrads(reused, x2, r); // same buffers, other data
      fresh.apply(x2);
      fresh.setWeights(reused.getWeights());
      const alone = lossAndGrads(fresh, x2, r);
      expect(maxAbsDiff(second.y, alone.y)).toBe(0);
      second.grads.forEach((g, i) => expect(maxAbsDiff(g, alone.grads[i]!)).toBe(0));
      // the first step's output tensor does not alias a reused buffer
      expect(Array.from(first.y.dataSync())).toEqual(firstY);
      expect(maxAbsDiff(first.y, second.y)).toBeGreaterThan(1e-3);
    });

    it('applied twice in one gradient computation (shared weights) still matches the stock layer', () => {
      const stock = tf.layers.lstm({ units: H, returnSequences: true, recurrentActivation: 'sigmoid' });
      const fused = new FusedLSTM({ units: H, returnSequences: true, seed: 5 });
      const x1 = tf.variable(tf.randomNormal([B, T, D], 0, 1, 'float32', 21));
      const x2 = tf.variable(tf.randomNormal([B, T, D], 0, 1, 'float32', 22));
      const r = tf.randomNormal([B, T, H], 0, 1, 'float32', 23);
      stock.apply(x1);
      fused.apply(x1);
      loadStockLstmWeights(fused, stock);
      const twice = (layer: tf.layers.Layer) => {
        const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
        const { grads } = tf.variableGrads(
          () =>
            tf.add<tf.Scalar>(
              tf.sum(tf.mul(layer.apply(x1) as tf.Tensor, r)),
              tf.sum(tf.square(layer.apply(x2) as tf.Tensor)),
            ),
          vars,
        );
        return vars.map((v) => grads[v.name]!);
      };
      const a = twice(stock);
      const b = twice(fused);
      a.forEach((g, i) => {
        const scale = Math.max(1, tf.max(tf.abs(g)).dataSync()[0]!);
        expect(maxAbsDiff(g, b[i]!) / scale).toBeLessThan(2e-5);
      });
    });

    it('trains in tf.sequential without leaking tensors, and the loss goes down', async () => {
      const model = tf.sequential({
        layers: [
          fusedLstmLayer({ units: 8, returnSequences: true, inputShape: [T, D], seed: 3 }),
          tf.layers.dense({ units: 2, activation: 'sigmoid' }),
        ],
      });
      model.compile({ optimizer: tf.train.adam(0.05), loss: 'binaryCrossentropy' });
      const x = tf.randomNormal([8, T, D], 0, 1, 'float32', 5);
      // target: is the running mean of feature 0 positive? needs memory across steps
      const y = tf.tidy(() =>
        tf.cast(tf.greater(tf.cumsum(x.slice([0, 0, 0], [8, T, 1]), 1), 0), 'float32').tile([1, 1, 2]),
      );
      const losses: number[] = [];
      const counts: number[] = [];
      for (let epoch = 0; epoch < 8; epoch++) {
        const h = await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
        losses.push(h.history.loss![0] as number);
        counts.push(tf.memory().numTensors);
      }
      expect(new Set(counts.slice(1)).size).toBe(1);
      expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.9);
      tf.dispose([x, y]);
      model.dispose();
    });

    it('saves and loads through tfjs serialization (className FusedLSTM)', async () => {
      const model = tf.sequential({
        layers: [fusedLstmLayer({ units: 5, returnSequences: false, inputShape: [T, D] })],
      });
      let saved: tf.io.ModelArtifacts | undefined;
      await model.save(
        tf.io.withSaveHandler(async (artifacts) => {
          saved = artifacts;
          return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
        }),
      );
      expect(JSON.stringify(saved!.modelTopology)).toContain('"class_name":"FusedLSTM"');
      expect(saved!.weightSpecs!.map((w) => w.name.split('/').pop())).toEqual([
        'kernel',
        'recurrent_kernel',
        'bias',
      ]);
      const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
      expect(loaded.layers[0]).toBeInstanceOf(FusedLSTM);
      const x = tf.randomNormal([2, T, D]);
      const [p, q] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
      expect(maxAbsDiff(p, q)).toBe(0);
      tf.dispose([x, p, q]);
      model.dispose();
      loaded.dispose();
    });
  });
}

describe('loadStockLstmWeights', () => {
  it('refuses a stock LSTM with the tfjs default hardSigmoid', () => {
    const stock = tf.layers.lstm({ units: 2 });
    const fused = new FusedLSTM({ units: 2 });
    const x = tf.zeros([1, 2, 3]);
    tf.dispose([stock.apply(x) as tf.Tensor, fused.apply(x) as tf.Tensor, x]);
    expect(() => loadStockLstmWeights(fused, stock)).toThrow(/"hardSigmoid".*need 'sigmoid'/);
  });
});
