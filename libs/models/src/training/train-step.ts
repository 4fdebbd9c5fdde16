import * as tf from '@tensorflow/tfjs';
import type { AdamW } from './adamw';

/** A loss on (target, prediction) of the same shape, returning a scalar. */
export type LossFn = (target: tf.Tensor, pred: tf.Tensor) => tf.Scalar;

/**
 * The model's trainable variables keyed `<index>:<originalName>` — stable across processes (tfjs may
 * uniquify `name`), so optimizer state saved by one process restores in another.
 */
export function trainableVariables(model: tf.LayersModel): Map<string, tf.Variable> {
  const vars = new Map<string, tf.Variable>();
  model.trainableWeights.forEach((w, i) => vars.set(`${i}:${w.originalName}`, w.read() as tf.Variable));
  return vars;
}

export interface StepResult {
  /** The batch loss before the update. */
  loss: number;
  /** False when the loss was not finite: no update was applied. */
  applied: boolean;
}

/**
 * One optimizer step: forward in training mode (dropout on), loss, gradients, AdamW update at `lr`.
 * A non-finite loss is returned without touching the weights, so the caller can stop and report it.
 */
export function trainStep(
  model: tf.LayersModel,
  vars: Map<string, tf.Variable>,
  optimizer: AdamW,
  loss: LossFn,
  x: tf.Tensor,
  y: tf.Tensor,
  lr: number,
): StepResult {
  const list = [...vars.values()];
  const keys = [...vars.keys()];
  const { value, grads } = tf.variableGrads(() => {
    const pred = model.apply(x, { training: true }) as tf.Tensor;
    return loss(y, pred);
  }, list);
  try {
    const lossValue = value.dataSync()[0] ?? Number.NaN;
    if (!Number.isFinite(lossValue)) return { loss: lossValue, applied: false };
    const byKey: tf.NamedTensorMap = {};
    list.forEach((v, i) => {
      const g = grads[v.name];
      const key = keys[i];
      if (g !== undefined && key !== undefined) byKey[key] = g;
    });
    optimizer.apply(vars, byKey, lr);
    return { loss: lossValue, applied: true };
  } finally {
    value.dispose();
    tf.dispose(grads);
  }
}

/**
 * Inference over `x` [n, frames, in] in batches of `batchSize` (training off).
 * @returns the outputs concatenated on the batch axis, flat, with the per-sample output shape.
 */
export function predictBatched(
  model: tf.LayersModel,
  x: tf.Tensor3D,
  batchSize: number,
): { data: Float32Array; shape: number[] } {
  const n = x.shape[0];
  const parts: Float32Array[] = [];
  let shape: number[] = [];
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const out = tf.tidy(() => model.predict(tf.slice(x, [start, 0, 0], [size, -1, -1])) as tf.Tensor);
    shape = out.shape.slice(1);
    parts.push(out.dataSync() as Float32Array);
    out.dispose();
  }
  const total = parts.reduce((a, p) => a + p.length, 0);
  const data = new Float32Array(total);
  let off = 0;
  for (const p of parts) {
    data.set(p, off);
    off += p.length;
  }
  return { data, shape };
}

/** Mean of `loss` over `x`/`y` in batches (training off). */
export function evaluateLoss(
  model: tf.LayersModel,
  loss: LossFn,
  x: tf.Tensor3D,
  y: tf.Tensor3D,
  batchSize: number,
): number {
  const n = x.shape[0];
  let sum = 0;
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const v = tf.tidy(() => {
      const xb = tf.slice(x, [start, 0, 0], [size, -1, -1]);
      const yb = tf.slice(y, [start, 0, 0], [size, -1, -1]);
      return loss(yb, model.predict(xb) as tf.Tensor);
    });
    sum += (v.dataSync()[0] ?? Number.NaN) * size;
    v.dispose();
  }
  return sum / n;
}
