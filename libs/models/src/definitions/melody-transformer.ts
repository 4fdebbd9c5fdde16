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

/**
 * Binary cross-entropy averaged over batch, frames and pitches, with the positive (note-on) terms weighted
 * by `positiveWeight` (1 = plain BCE; > 1 counters the sparsity of piano rolls, ~3 % ones, as
 * `pos_weight` in PyTorch's BCEWithLogitsLoss).
 * @param target piano roll in {0,1}, [batch, frames, pitches]; @param pred sigmoid outputs, same shape.
 */
export function melodyLoss(target: tf.Tensor, pred: tf.Tensor, positiveWeight = 1): tf.Scalar {
  return tf.tidy(() => {
    const p = tf.clipByValue(pred, 1e-7, 1 - 1e-7);
    const pos = tf.mul(tf.mul(target, tf.log(p)), positiveWeight);
    const ll = tf.add(pos, tf.mul(tf.sub(1, target), tf.log(tf.sub(1, p))));
    return tf.neg(tf.mean(ll)) as tf.Scalar;
  });
}

/** {@link melodyLoss} with a fixed positive weight, as a two-argument loss for training loops. */
export function weightedMelodyLoss(
  positiveWeight: number,
): (target: tf.Tensor, pred: tf.Tensor) => tf.Scalar {
  return (target, pred) => melodyLoss(target, pred, positiveWeight);
}
