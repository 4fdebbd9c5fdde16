import * as tf from '@tensorflow/tfjs';
import { EMOTION_NODE_TARGET_LAYOUT, type EmotionNodeLayout } from '@kelly/features';
import { z } from 'zod';
import { hierarchicalHeads } from './hierarchical-heads';
import { addInputNorm } from './input-norm-layer';
import { lstmLayer } from './recurrent';
import { seedOf } from './seed';

const L = EMOTION_NODE_TARGET_LAYOUT;
const { base: BASES, sub: SUBS, leaf: LEAVES } = L.levels;

/**
 * The emotion hierarchy (from @kelly/features EMOTION_NODE_LEVELS): 6 base emotions × 6 sub-emotions × 6
 * intensity-graded nodes = 216 nodes. Node n belongs to mid class floor(n / 6) (0..35) and coarse class
 * floor(n / 36) (0..5).
 */
export const EMOTION_NODE_COUNTS = Object.freeze({
  fine: BASES * SUBS * LEAVES,
  mid: BASES * SUBS,
  coarse: BASES,
});

/**
 * Slices of the ONE dense output (259 values per frame, linear), the same as the dataset's target layout
 * (EMOTION_NODE_TARGET_LAYOUT: node, base → coarse, sub → mid, intensity). Half-open [start, end).
 * The plugin applies softmax to each of node/coarse/mid and sigmoid to intensity.
 */
export const EMOTION_NODE_SLICES = {
  node: {
    start: L.node[0],
    end: L.node[1],
    apply: 'softmax',
    meaning: `logits of the ${EMOTION_NODE_COUNTS.fine} fine nodes`,
  },
  coarse: {
    start: L.base[0],
    end: L.base[1],
    apply: 'softmax',
    meaning: `logits of the ${BASES} base emotions (node / ${SUBS * LEAVES})`,
  },
  mid: {
    start: L.sub[0],
    end: L.sub[1],
    apply: 'softmax',
    meaning: `logits of the ${BASES * SUBS} sub-emotions (node / ${LEAVES})`,
  },
  intensity: {
    start: L.intensity[0],
    end: L.intensity[1],
    apply: 'sigmoid',
    meaning: 'intensity logit; sigmoid gives 0..1',
  },
} as const;
export const EMOTION_NODE_OUTPUTS = L.size;

/**
 * Checks that `layout` is the one the model's heads and loss are built for, level by level and slice by
 * slice (a layout with the right total size but other levels or slices is refused).
 * @throws Error naming the first level or slice that differs.
 */
export function assertEmotionNodeLayout(layout: EmotionNodeLayout): void {
  for (const level of ['base', 'sub', 'leaf'] as const)
    if (layout.levels[level] !== L.levels[level])
      throw new Error(
        `emotion-node layout: levels.${level} is ${layout.levels[level]}, the model is built for ${L.levels[level]} (${L.levels.base}×${L.levels.sub}×${L.levels.leaf})`,
      );
  for (const slice of ['node', 'base', 'sub', 'intensity'] as const) {
    const [a, b] = layout[slice];
    if (a !== L[slice][0] || b !== L[slice][1])
      throw new Error(
        `emotion-node layout: slice ${slice} is [${a}, ${b}), the model's head is [${L[slice][0]}, ${L[slice][1]})`,
      );
  }
  if (layout.size !== L.size)
    throw new Error(`emotion-node layout: size is ${layout.size}, the model's output has ${L.size}`);
}

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

/**
 * @param layout the targets' layout; checked with {@link assertEmotionNodeLayout}.
 * The heads are factorised along the hierarchy ({@link HierarchicalHeads}): a node's logit is its
 * sub-emotion's plus leaf terms, a sub-emotion's is its base's plus sub terms; RTNeural gets them folded
 * into one dense.
 * @returns [batch, frames, inputBands] → [batch, frames, 259] linear, sliced per {@link EMOTION_NODE_SLICES}.
 */
export function createEmotionNodeClassifier(
  config: Partial<EmotionNodeClassifierConfig> = {},
  layout: EmotionNodeLayout = EMOTION_NODE_TARGET_LAYOUT,
): tf.Sequential {
  assertEmotionNodeLayout(layout);
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
  model.add(
    hierarchicalHeads({
      levels: L.levels,
      extra: L.size - L.intensity[0],
      name: 'heads',
      ...seedOf(c.seed, 99),
    }),
  );
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
  v[s.coarse.start + Math.floor(node / (SUBS * LEAVES))] = 1;
  v[s.mid.start + Math.floor(node / LEAVES)] = 1;
  v[s.intensity.start] = intensity;
  return v;
}
