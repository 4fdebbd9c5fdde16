import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { TimeDense, timeDense } from './time-dense';

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  expect(a.shape).toEqual(b.shape);
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

describe('TimeDense', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
  });

  it('matches tf.layers.dense on 3-D input: outputs and gradients (input, kernel, bias)', () => {
    const stock = tf.layers.dense({ units: 5, activation: 'sigmoid', biasInitializer: 'randomNormal' });
    const fast = timeDense({ units: 5, activation: 'sigmoid' });
    const x = tf.variable(tf.randomNormal([2, 7, 3], 0, 1, 'float32', 11));
    const r = tf.randomNormal([2, 7, 5], 0, 1, 'float32', 12);
    stock.apply(x);
    fast.apply(x);
    fast.setWeights(stock.getWeights());
    const run = (layer: tf.layers.Layer) => {
      const vars = [x, ...layer.trainableWeights.map((w) => w.read() as tf.Variable)];
      let y: tf.Tensor | undefined;
      const { value, grads } = tf.variableGrads(() => {
        y = tf.keep(layer.apply(x) as tf.Tensor);
        return tf.sum(tf.mul(y, r));
      }, vars);
      return { y: y!, value, grads: vars.map((v) => grads[v.name]!) };
    };
    const a = run(stock);
    const b = run(fast);
    expect(maxAbsDiff(a.y, b.y)).toBeLessThan(1e-6);
    a.grads.forEach((g, i) => expect(maxAbsDiff(g, b.grads[i]!)).toBeLessThan(1e-5));
    expect(tf.tidy(() => tf.max(tf.abs(b.grads[1]!)).dataSync()[0]!)).toBeGreaterThan(1e-3);
    tf.dispose([x, r, a.y, a.value, ...a.grads, b.y, b.value, ...b.grads]);
  });

  it('round-trips through save/load with weights named kernel, bias', async () => {
    const model = tf.sequential({
      layers: [new TimeDense({ units: 3, activation: 'tanh', inputShape: [4, 2] })],
    });
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    expect(saved!.weightSpecs!.map((w) => w.name.split('/').pop())).toEqual(['kernel', 'bias']);
    const loaded = await tf.loadLayersModel(tf.io.fromMemory(saved!));
    const x = tf.randomNormal([1, 4, 2]);
    const [p, q] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
    expect(maxAbsDiff(p, q)).toBe(0);
    tf.dispose([x, p, q]);
  });

  it('rejects an activation it does not implement', () => {
    expect(() => timeDense({ units: 2, activation: 'elu' as 'relu' })).toThrow(
      /unsupported activation 'elu'/,
    );
  });
});
