/**
 * Parity between tfjs `predict` on whole sequences and our RTNeural streaming inference frame by frame.
 */
import * as tf from '@tensorflow/tfjs';
import { loadRtneuralModel, type RtneuralStreamModel } from './inference';

export interface ParityReport {
  /** Max |tfjs − streaming| over every compared output value; Infinity if either side is non-finite. */
  maxAbsErr: number;
  /** Max abs error of each clip, in input order. */
  perClip: number[];
  /** Output frames compared, over all clips. */
  frames: number;
  /** The bound the caller asked for. */
  tolerance: number;
  /** maxAbsErr is finite and ≤ tolerance. */
  passed: boolean;
}

/** Clips as [clip][frame] → Float32Array of in-size, or one tensor [clips, frames, in]. */
export type ParityClips = readonly (readonly Float32Array[])[] | tf.Tensor3D;

function clipsOf(clips: ParityClips): Float32Array[][] {
  if (!(clips instanceof tf.Tensor)) return clips.map((c) => [...c]);
  const [n, t, f] = clips.shape;
  const data = clips.dataSync() as Float32Array;
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: t }, (_, j) => data.slice((i * t + j) * f, (i * t + j + 1) * f)),
  );
}

function diff(a: number, b: number): number {
  const d = Math.abs(a - b);
  return Number.isFinite(d) ? d : Number.POSITIVE_INFINITY;
}

/**
 * Frames a tfjs model (a chain of layers, as the exporter requires) consumes before its first output: Σ (k−1)·d over its 'valid' convolutions
 * (0 for models without them, and for 2-D inputs or outputs).
 */
export function historyFrames(model: tf.LayersModel): number {
  const inShape = model.inputs[0]!.shape;
  if (inShape.length !== 3) return 0;
  const probe = 4096;
  let shape: tf.Shape = [1, probe, inShape[2]!];
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'InputLayer') shape = layer.computeOutputShape(shape) as tf.Shape;
  }
  return shape.length === 3 && typeof shape[1] === 'number' ? probe - shape[1] : 0;
}

/**
 * tfjs outputs of one clip as rows [frames][out], the clip left-padded with `pad` zero frames (the history
 * RTNeural's causal conv assumes). A 2-D output ([1, out], returnSequences false) is one row.
 */
function predictClip(
  model: tf.LayersModel,
  frames: Float32Array[],
  inSize: number,
  pad: number,
): Float32Array[] {
  const T = frames.length + pad;
  const flat = new Float32Array(T * inSize);
  frames.forEach((f, t) => flat.set(f, (t + pad) * inSize));
  const rank = model.inputs[0]!.shape.length;
  return tf.tidy(() => {
    const x = rank === 2 ? tf.tensor2d(flat, [T, inSize]) : tf.tensor3d(flat, [1, T, inSize]);
    const y = model.predict(x) as tf.Tensor;
    const out = y.shape[y.shape.length - 1]!;
    const rows = y.size / out;
    const data = y.dataSync() as Float32Array;
    return Array.from({ length: rows }, (_, r) => data.slice(r * out, (r + 1) * out));
  });
}

/**
 * Runs each clip through tfjs `predict` (whole sequence) and through the streaming model (reset, then one
 * `forward` per frame) and compares every output frame.
 * - Models with 'valid' convolutions (tfjs has no causal conv) get the clip left-padded with
 *   {@link historyFrames} zero frames for `predict`: that is exactly RTNeural's causal conv with zero history,
 *   so frame t of both sides is the same frame, and stateful layers after the conv see the same sequence.
 * - A model returning only the last step (returnSequences false) is compared on the last streamed frame.
 * @param json the exported RTNeural model (parsed JSON) or an already loaded stream model.
 * @param clips [clip][frame] Float32Array(in), or a tensor [clips, frames, in]. 2-D-input models take
 *   each frame as one batch row.
 * @param tolerance the largest max |tfjs − streaming| that passes (the shipping contract's figure).
 */
export function checkParity(
  model: tf.LayersModel,
  json: unknown,
  clips: ParityClips,
  tolerance: number,
): ParityReport {
  const stream: RtneuralStreamModel = isStreamModel(json) ? json : loadRtneuralModel(json);
  const pad = historyFrames(model);
  const perClip: number[] = [];
  let frames = 0;
  for (const clip of clipsOf(clips)) {
    const expected = predictClip(model, clip, stream.inSize, pad);
    stream.reset();
    const got = clip.map((f) => Float64Array.from(stream.forward64(f)));
    const offset = got.length - expected.length;
    if (offset < 0 || (offset > 0 && expected.length !== 1)) {
      throw new Error(
        `tfjs returned ${expected.length} frames for a ${got.length}-frame clip (history ${pad})`,
      );
    }
    let err = 0;
    expected.forEach((row, t) => {
      const s = got[t + offset]!;
      if (s.length !== row.length)
        throw new Error(`output sizes differ: tfjs ${row.length}, RTNeural ${s.length}`);
      for (let j = 0; j < row.length; j++) err = Math.max(err, diff(row[j]!, s[j]!));
    });
    perClip.push(err);
    frames += expected.length;
  }
  const maxAbsErr = perClip.reduce((a, b) => Math.max(a, b), 0);
  const passed = Number.isFinite(maxAbsErr) && maxAbsErr <= tolerance;
  return { maxAbsErr, perClip, frames, tolerance, passed };
}

/** One held-out clip with tfjs' outputs on it, aligned to a stream model's frames. */
export interface ReferenceClip {
  /** The clip's input frames. */
  input: Float32Array[];
  /** tfjs `predict` outputs: one row per streamed frame from `offset` on. */
  expected: Float32Array[];
  /** Streamed frame index of `expected[0]`: 0 for sequence outputs, frames − 1 for a last-step output. */
  offset: number;
}

/**
 * tfjs `predict` on each clip, aligned to streaming inference exactly as {@link checkParity} compares them
 * (left-padded with {@link historyFrames} zero frames for 'valid' convolutions), so another RTNeural (e.g. the
 * real C++ library) can be checked against it later without tfjs.
 */
export function tfjsReference(model: tf.LayersModel, clips: ParityClips): ReferenceClip[] {
  const inSize = model.inputs[0]!.shape[model.inputs[0]!.shape.length - 1]!;
  const pad = historyFrames(model);
  return clipsOf(clips).map((clip) => {
    const expected = predictClip(model, clip, inSize, pad);
    return { input: clip, expected, offset: clip.length - expected.length };
  });
}

function isStreamModel(v: unknown): v is RtneuralStreamModel {
  return typeof v === 'object' && v !== null && typeof (v as RtneuralStreamModel).forward64 === 'function';
}
