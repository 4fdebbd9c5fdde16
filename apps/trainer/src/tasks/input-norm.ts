import * as tf from '@tensorflow/tfjs';
import type { Example } from '@kelly/features';
import { INPUT_NORM_LAYER } from '@kelly/models';
import type { InputNorm } from './task';

/** Per-feature mean and std (floored at 1e-3) over every frame of `examples` (x [frames][dim]). */
export function computeInputNorm(examples: readonly Example[], dim: number): InputNorm {
  const sum = new Float64Array(dim);
  const sq = new Float64Array(dim);
  let n = 0;
  for (const e of examples) {
    for (let i = 0; i < e.x.length; i++) {
      const v = e.x[i] ?? 0;
      sum[i % dim] = (sum[i % dim] ?? 0) + v;
      sq[i % dim] = (sq[i % dim] ?? 0) + v * v;
    }
    n += e.x.length / dim;
  }
  const mean = Array.from(sum, (s) => s / Math.max(1, n));
  const std = Array.from(sq, (s, i) =>
    Math.max(1e-3, Math.sqrt(Math.max(0, s / Math.max(1, n) - (mean[i] ?? 0) ** 2))),
  );
  return { mean, std };
}

/** Sets a frozen dense layer to y = (x − mean) / std: kernel diag(1/std), bias −mean/std. */
export function applyInputNorm(layer: tf.layers.Layer, norm: InputNorm): void {
  const d = norm.mean.length;
  const kernel = new Float32Array(d * d);
  const bias = new Float32Array(d);
  for (let i = 0; i < d; i++) {
    const s = norm.std[i] ?? 1;
    kernel[i * d + i] = 1 / s;
    bias[i] = -(norm.mean[i] ?? 0) / s;
  }
  const k = tf.tensor2d(kernel, [d, d]);
  const b = tf.tensor1d(bias);
  layer.setWeights([k, b]);
  tf.dispose([k, b]);
}

/** `model` with its frozen input-normalisation layer (INPUT_NORM_LAYER) set from `norm`, when there is one. */
export function withInputNorm(model: tf.LayersModel, norm: InputNorm | null): tf.LayersModel {
  if (norm) applyInputNorm(model.getLayer(INPUT_NORM_LAYER), norm);
  return model;
}
