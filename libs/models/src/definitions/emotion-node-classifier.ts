import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { timeDense } from '../lstm/time-dense';
import { addInputNorm } from './input-norm-layer';
import { lstmLayer } from './recurrent';
import { seedOf } from './seed';

/**
 * The emotion hierarchy: 6 base emotions × 6 sub-emotions × 6 intensity-graded nodes = 216 nodes.
 * Node n belongs to mid class floor(n / 6) (0..35) and coarse class floor(n / 36) (0..5).
 */
export const EMOTION_NODE_COUNTS = { fine: 216, mid: 36, coarse: 6 } as const;

/**
 * Slices of the ONE dense output (259 values per frame, linear). Half-open [start, end).
 * The plugin applies softmax to each of node/coarse/mid and sigmoid to intensity.
 */
export const EMOTION_NODE_SLICES = {
  node: { start: 0, end: 216, apply: 'softmax', meaning: 'logits of the 216 fine nodes' },
  coarse: { start: 216, end: 222, apply: 'softmax', meaning: 'logits of the 6 base emotions (node / 36)' },
  mid: { start: 222, end: 258, apply: 'softmax', meaning: 'logits of the 36 sub-emotions (node / 6)' },
  intensity: { start: 258, end: 259, apply: 'sigmoid', meaning: 'intensity logit; sigmoid gives 0..1' },
} as const;
export const EMOTION_NODE_OUTPUTS = 259;

export const EmotionNodeClassifierConfigSchema = z.object({
  inputBands: z.number().int().positive().default(64),
  /** Start with the frozen {@link addInputNorm} layer (the trainer sets it from training statistics). */
  inputNorm: z.boolean().default(false),
  lstm1Units: z.number().int().positive().default(128),
  lstm2Units: z.number().int().positive().default(64),
  /** Seeds every initialiser (layer i gets seed + 7919·i); omitted = random init. */
  seed: z.number().int().min(0).optional(),
});
export type EmotionNodeClassifierConfig = z.infer<typeof EmotionNodeClassifierConfigSchema>;

/** @returns [batch, frames, inputBands] → [batch, frames, 259] linear, sliced per {@link EMOTION_NODE_SLICES}. */
export function createEmotionNodeClassifier(
  config: Partial<EmotionNodeClassifierConfig> = {},
): tf.Sequential {
  const c = EmotionNodeClassifierConfigSchema.parse(config);
  const model = tf.sequential({ name: 'emotionnodeclassifier' });
  if (c.inputNorm) addInputNorm(model, c.inputBands);
  model.add(
    lstmLayer({
      units: c.lstm1Units,
      returnSequences: true,
      name: 'lstm_1',
      ...seedOf(c.seed, 0),
      ...(c.inputNorm ? {} : { inputShape: [null, c.inputBands] as [null, number] }),
    }),
  );
  model.add(lstmLayer({ units: c.lstm2Units, returnSequences: true, name: 'lstm_2', ...seedOf(c.seed, 1) }));
  model.add(timeDense({ units: EMOTION_NODE_OUTPUTS, name: 'heads', ...seedOf(c.seed, 99) }));
  return model;
}

function sliceLast(t: tf.Tensor, start: number, end: number): tf.Tensor {
  const begin = t.shape.map((_, i) => (i === t.rank - 1 ? start : 0));
  const size = t.shape.map((d, i) => (i === t.rank - 1 ? end - start : d));
  return tf.slice(t, begin, size);
}

/** Splits the one output [.., 259] into its heads (logits; intensity as a logit). */
export function splitEmotionNodeHeads(out: tf.Tensor): {
  node: tf.Tensor;
  coarse: tf.Tensor;
  mid: tf.Tensor;
  intensity: tf.Tensor;
} {
  const s = EMOTION_NODE_SLICES;
  return {
    node: sliceLast(out, s.node.start, s.node.end),
    coarse: sliceLast(out, s.coarse.start, s.coarse.end),
    mid: sliceLast(out, s.mid.start, s.mid.end),
    intensity: sliceLast(out, s.intensity.start, s.intensity.end),
  };
}

/**
 * Sum of softmax cross-entropies of the node, coarse and mid heads plus the sigmoid cross-entropy of the
 * intensity head, averaged over batch and frames.
 * @param target [batch, frames, 259] laid out like the output: one-hot node, one-hot coarse, one-hot mid,
 * intensity in [0, 1].
 */
export function emotionNodeLoss(target: tf.Tensor, pred: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const t = splitEmotionNodeHeads(target);
    const p = splitEmotionNodeHeads(pred);
    const ce = (y: tf.Tensor, logits: tf.Tensor): tf.Tensor =>
      tf.neg(tf.mean(tf.sum(tf.mul(y, tf.logSoftmax(logits)), -1)));
    const intensity = tf.losses.sigmoidCrossEntropy(t.intensity, p.intensity);
    return tf.addN([ce(t.node, p.node), ce(t.coarse, p.coarse), ce(t.mid, p.mid), intensity]) as tf.Scalar;
  });
}

/** Target vector (259) for one frame of node `node` (0..215) at `intensity` (0..1). */
export function emotionNodeTarget(node: number, intensity: number): Float32Array {
  const s = EMOTION_NODE_SLICES;
  const v = new Float32Array(EMOTION_NODE_OUTPUTS);
  v[s.node.start + node] = 1;
  v[s.coarse.start + Math.floor(node / 36)] = 1;
  v[s.mid.start + Math.floor(node / 6)] = 1;
  v[s.intensity.start] = intensity;
  return v;
}
