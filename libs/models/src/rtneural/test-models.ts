/** Test helpers (not exported from the lib): deterministic weights and clips for parity tests. */
import * as tf from '@tensorflow/tfjs';

/** The shipping parity bound (RTNEURAL_CONTRACT in @kelly/tracking, which this lib may not import). */
export const PARITY_TOLERANCE = 1e-4;

/** Deterministic values in [-scale, scale). */
export function rng(seed: number): (scale?: number) => number {
  let s = seed >>> 0;
  return (scale = 1) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 31 - 1) * scale;
  };
}

export function randomClips(n: number, frames: number, size: number, seed: number): Float32Array[][] {
  const r = rng(seed);
  return Array.from({ length: n }, () =>
    Array.from({ length: frames }, () => Float32Array.from({ length: size }, () => r(2))),
  );
}

/** Replaces every weight with deterministic values (variances kept positive). */
export function randomizeWeights(model: tf.LayersModel, seed: number): void {
  const r = rng(seed);
  for (const layer of model.layers) {
    const ws = layer.getWeights();
    if (ws.length === 0) continue;
    const names = layer.weights.map((w) => w.originalName);
    const fresh = ws.map((w, i) => {
      const positive = /variance/.test(names[i] ?? '');
      return tf.tensor(
        Float32Array.from({ length: w.size }, () => (positive ? 0.5 + Math.abs(r()) : r(0.8))),
        w.shape,
      );
    });
    layer.setWeights(fresh);
    fresh.forEach((t) => t.dispose()); // getWeights() returns the variables' own tensors: never dispose those
  }
}
