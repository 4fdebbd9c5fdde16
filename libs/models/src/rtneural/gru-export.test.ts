import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportToRtneural } from './export';
import { checkParity } from './parity';
import { randomClips, randomizeWeights, PARITY_TOLERANCE } from './test-models';

/**
 * Keras GRU with reset_after=True (which tfjs' own GRU refuses), written with tf ops one step at a time,
 * reporting className 'GRU' and Keras' weight layout: kernel [in][3U], recurrent [U][3U], bias [2][3U],
 * gate blocks z, r, h. Stands in for a reset-after GRU so the exporter's GRU path is checked end to end.
 */
class ResetAfterGru extends tf.layers.Layer {
  private kernel: tf.LayerVariable | null = null;
  private recurrent: tf.LayerVariable | null = null;
  private bias: tf.LayerVariable | null = null;

  constructor(private readonly units: number) {
    super({ name: 'gru_reset_after' });
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const inDim = (inputShape as tf.Shape)[2]!;
    const U = this.units;
    this.kernel = this.addWeight('kernel', [inDim, 3 * U], 'float32', tf.initializers.zeros());
    this.recurrent = this.addWeight('recurrent_kernel', [U, 3 * U], 'float32', tf.initializers.zeros());
    this.bias = this.addWeight('bias', [2, 3 * U], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = inputShape as tf.Shape;
    return [s[0] ?? null, s[1] ?? null, this.units];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
      const [B, T] = x.shape;
      const U = this.units;
      const [b0, b1] = tf.unstack(this.bias!.read());
      let h: tf.Tensor2D = tf.zeros([B, U]);
      const outs: tf.Tensor2D[] = [];
      for (let t = 0; t < T; t++) {
        const xt = tf.reshape<tf.Rank.R2>(tf.slice(x, [0, t, 0], [B, 1, -1]), [B, -1]);
        const a = tf.add(tf.matMul(xt, this.kernel!.read() as tf.Tensor2D), b0!);
        const r_ = tf.add(tf.matMul(h, this.recurrent!.read() as tf.Tensor2D), b1!);
        const [az, ar, ah] = tf.split(a, 3, 1);
        const [rz, rr, rh] = tf.split(r_, 3, 1);
        const z = tf.sigmoid(tf.add(az!, rz!));
        const r = tf.sigmoid(tf.add(ar!, rr!));
        const n = tf.tanh(tf.add(ah!, tf.mul(r, rh!)));
        h = tf.add(tf.mul(z, h), tf.mul(tf.sub(1, z), n));
        outs.push(h);
      }
      return tf.stack(outs, 1);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      units: this.units,
      resetAfter: true,
      activation: 'tanh',
      recurrentActivation: 'sigmoid',
    };
  }

  override getClassName(): string {
    return 'GRU';
  }
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('GRU export (Keras reset_after=True layout)', () => {
  it('exports bias [2][3U] and matches a reset-after GRU within 1e-4', () => {
    const model = tf.sequential();
    model.add(tf.layers.inputLayer({ inputShape: [null, 4] }));
    model.add(new ResetAfterGru(6));
    model.add(tf.layers.dense({ units: 2 }));
    randomizeWeights(model, 51);
    const json = exportToRtneural(model);
    expect(json.layers[0]).toMatchObject({ type: 'gru', shape: [null, null, 6] });
    expect(json.layers[0]!.weights[2]).toHaveLength(2);
    const report = checkParity(model, json, randomClips(2, 20, 4, 52), PARITY_TOLERANCE);
    expect(report.frames).toBe(40);
    expect(report.maxAbsErr).toBeLessThanOrEqual(1e-4);
  });
});
