import * as tf from '@tensorflow/tfjs';
import type { Dataset, Example } from '@kelly/features';
import type { SplitTensors } from './task';

/** Stacks examples' x (shape [frames][dim]) and a per-example y builder into [n, frames, ·] tensors. */
export function stack3d(
  examples: readonly Example[],
  pick: (e: Example) => Float32Array,
  frames: number,
  dim: number,
): tf.Tensor3D {
  const out = new Float32Array(examples.length * frames * dim);
  examples.forEach((e, i) => {
    const v = pick(e);
    if (v.length !== frames * dim)
      throw new Error(`example ${e.id}: expected ${frames}×${dim} values, got ${v.length}`);
    out.set(v, i * frames * dim);
  });
  return tf.tensor3d(out, [examples.length, frames, dim]);
}

/** Every example's y concatenated in order (the flat target a task's metrics compare predictions with). */
export function concatTargets(examples: readonly Example[]): Float32Array {
  const out = new Float32Array(examples.reduce((a, e) => a + e.y.length, 0));
  let off = 0;
  for (const e of examples) {
    out.set(e.y, off);
    off += e.y.length;
  }
  return out;
}

/** Repeats a per-clip vector on every frame: [dim] → [frames][dim]. */
export function tileFrames(v: Float32Array, frames: number): Float32Array {
  const out = new Float32Array(frames * v.length);
  for (let t = 0; t < frames; t++) out.set(v, t * v.length);
  return out;
}

/**
 * A batch as tensors: x = every clip's features [n, frames, bands], y = `target(e, frames)` per clip
 * [n, frames, width] (default: the clip's own y). Frames and bands come from the dataset's input shape.
 */
export function clipTensors(
  examples: readonly Example[],
  dataset: Dataset,
  width: number,
  target: (e: Example, frames: number) => Float32Array = (e) => e.y,
  defaults: { frames: number; bands: number } = { frames: 0, bands: 64 },
): SplitTensors {
  const frames = dataset.inputShape[0] ?? defaults.frames;
  return {
    x: stack3d(examples, (e) => e.x, frames, dataset.inputShape[1] ?? defaults.bands),
    y: stack3d(examples, (e) => target(e, frames), frames, width),
  };
}
