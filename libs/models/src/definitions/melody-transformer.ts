import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { timeDense } from '../lstm/time-dense';
import { addInputNorm } from './input-norm-layer';
import { lstmLayer } from './recurrent';
import { seedOf } from './seed';

/** MelodyTransformer (the seed config): log-mel frames → per-frame piano roll probabilities. */
export const MelodyTransformerConfigSchema = z.object({
  /** Log-mel bands per input frame. */
  inputBands: z.number().int().positive().default(64),
  /** Start with the frozen {@link addInputNorm} layer (the trainer sets it from training statistics). */
  inputNorm: z.boolean().default(false),
  lstmUnits: z.number().int().positive().default(256),
  lstmLayers: z.number().int().min(1).max(6).default(3),
  /** Dropout after the last LSTM, training only (omitted in the RTNeural export). */
  dropout: z.number().min(0).max(0.9).default(0.2),
  /** Output pitches: MIDI 0..127. */
  pitches: z.number().int().positive().default(128),
  /** Seeds every initialiser (layer i gets seed + 7919·i); omitted = random init. */
  seed: z.number().int().min(0).optional(),
});
export type MelodyTransformerConfig = z.infer<typeof MelodyTransformerConfigSchema>;

/**
 * @returns a model mapping [batch, frames, inputBands] → [batch, frames, pitches] (sigmoid per pitch).
 * Frames are free (null) so the same model streams one frame at a time.
 */
export function createMelodyTransformer(config: Partial<MelodyTransformerConfig> = {}): tf.Sequential {
  const c = MelodyTransformerConfigSchema.parse(config);
  const model = tf.sequential({ name: 'melodytransformer' });
  if (c.inputNorm) addInputNorm(model, c.inputBands);
  for (let i = 0; i < c.lstmLayers; i++) {
    model.add(
      lstmLayer({
        units: c.lstmUnits,
        returnSequences: true,
        name: `lstm_${i + 1}`,
        ...seedOf(c.seed, i),
        ...(i === 0 && !c.inputNorm ? { inputShape: [null, c.inputBands] as [null, number] } : {}),
      }),
    );
  }
  model.add(tf.layers.dropout({ rate: c.dropout, name: 'dropout' }));
  model.add(timeDense({ units: c.pitches, activation: 'sigmoid', name: 'pitch', ...seedOf(c.seed, 99) }));
  return model;
}

/** Weights of {@link melodyLoss}'s terms (all ≥ 0; 1 / 0 / 0 is plain BCE). */
export interface MelodyLossWeights {
  /** Weight of every note-on term (> 1 counters the sparsity of piano rolls, ~3 % ones, as PyTorch's `pos_weight`). */
  positiveWeight: number;
  /** Added to the weight of a note's first frame (target 1 after 0): onsets are few and decide note-level scores. */
  onsetWeight?: number;
  /** Added to the weight of the first frame after a note (target 0 after 1): where the offset is decided. */
  offsetWeight?: number;
}

/**
 * Weighted binary cross-entropy averaged over batch, frames and pitches: note-on terms weighted by
 * `positiveWeight` (+ `onsetWeight` at a note's first frame), note-off terms by 1 (+ `offsetWeight` at the frame
 * after a note). A note on at frame 0 counts as an onset.
 * @param target piano roll in {0,1}, [batch, frames, pitches]; @param pred sigmoid outputs, same shape.
 */
export function melodyLoss(
  target: tf.Tensor,
  pred: tf.Tensor,
  weights: MelodyLossWeights | number = 1,
): tf.Scalar {
  const w = typeof weights === 'number' ? { positiveWeight: weights } : weights;
  const onsetW = w.onsetWeight ?? 0;
  const offsetW = w.offsetWeight ?? 0;
  return tf.tidy(() => {
    const p = tf.clipByValue(pred, 1e-7, 1 - 1e-7);
    let posW: tf.Tensor = tf.scalar(w.positiveWeight);
    let negW: tf.Tensor = tf.scalar(1);
    if ((onsetW > 0 || offsetW > 0) && target.rank === 3 && (target.shape[1] ?? 0) > 0) {
      const [b, , k] = target.shape as [number, number, number];
      const frames = target.shape[1]!;
      const prev = tf.concat([tf.zeros([b, 1, k]), tf.slice(target, [0, 0, 0], [b, frames - 1, k])], 1);
      const onset = tf.mul(target, tf.sub(1, prev));
      const offset = tf.mul(tf.sub(1, target), prev);
      posW = tf.add(posW, tf.mul(onset, onsetW));
      negW = tf.add(negW, tf.mul(offset, offsetW));
    }
    const pos = tf.mul(tf.mul(target, tf.log(p)), posW);
    const neg = tf.mul(tf.mul(tf.sub(1, target), tf.log(tf.sub(1, p))), negW);
    return tf.neg(tf.mean(tf.add(pos, neg))) as tf.Scalar;
  });
}

/** {@link melodyLoss} with fixed weights, as a two-argument loss for training loops. */
export function weightedMelodyLoss(
  weights: MelodyLossWeights | number,
): (target: tf.Tensor, pred: tf.Tensor) => tf.Scalar {
  return (target, pred) => melodyLoss(target, pred, weights);
}
