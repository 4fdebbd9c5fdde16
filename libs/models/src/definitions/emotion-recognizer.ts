import * as tf from '@tensorflow/tfjs';
import { EMOTION_LABELS } from '@kelly/features';
import { z } from 'zod';
import { CausalConv1D } from './causal-conv1d';
import { timeDense } from '../lstm/time-dense';
import { addInputNorm } from './input-norm-layer';
import { lstmLayer } from './recurrent';
import { seedOf } from './seed';

export const EmotionRecognizerConfigSchema = z.object({
  inputBands: z.number().int().positive().default(64),
  /** Start with the frozen {@link addInputNorm} layer (the trainer sets it from training statistics). */
  inputNorm: z.boolean().default(false),
  convFilters: z.number().int().positive().default(32),
  kernelSize: z.number().int().min(1).default(5),
  dilation: z.number().int().min(1).default(1),
  lstmUnits: z.number().int().positive().default(64),
  /** Softmax outputs, in the order of EMOTION_LABELS (@kelly/features). */
  classes: z.number().int().min(2).default(EMOTION_LABELS.length),
  /** Seeds every initialiser (layer i gets seed + 7919·i); omitted = random init. */
  seed: z.number().int().min(0).optional(),
});
export type EmotionRecognizerConfig = z.infer<typeof EmotionRecognizerConfigSchema>;

/** Zero frames to put before a clip so a 'valid' conv gives one output per input frame (= causal). */
export function causalPadFrames(config: Pick<EmotionRecognizerConfig, 'kernelSize' | 'dilation'>): number {
  return (config.kernelSize - 1) * config.dilation;
}

/**
 * Causal conv1d ({@link CausalConv1D}: a 'valid' conv on the clip left-padded inside the layer by
 * {@link causalPadFrames} zero frames; RTNeural's conv1d is causal with zero history, so streaming equals
 * this exactly) → LSTM → dense softmax.
 * @returns [batch, frames, inputBands] → [batch, frames, classes], a softmax per frame.
 */
export function createEmotionRecognizer(config: Partial<EmotionRecognizerConfig> = {}): tf.Sequential {
  const c = EmotionRecognizerConfigSchema.parse(config);
  const model = tf.sequential({ name: 'emotionrecognizer' });
  if (c.inputNorm) addInputNorm(model, c.inputBands);
  model.add(
    new CausalConv1D({
      filters: c.convFilters,
      kernelSize: c.kernelSize,
      dilation: c.dilation,
      activation: 'tanh',
      ...(c.inputNorm ? {} : { inputShape: [null, c.inputBands] as [null, number] }),
      name: 'conv_causal',
      ...seedOf(c.seed, 0),
    }),
  );
  model.add(lstmLayer({ units: c.lstmUnits, returnSequences: true, name: 'lstm_1', ...seedOf(c.seed, 1) }));
  model.add(timeDense({ units: c.classes, activation: 'softmax', name: 'emotion', ...seedOf(c.seed, 99) }));
  return model;
}

/**
 * Categorical cross-entropy per frame, averaged.
 * @param target one-hot [batch, frames, classes]; @param pred softmax [batch, frames, classes].
 */
export function emotionLoss(target: tf.Tensor, pred: tf.Tensor): tf.Scalar {
  return tf.tidy(
    () => tf.neg(tf.mean(tf.sum(tf.mul(target, tf.log(tf.clipByValue(pred, 1e-7, 1))), -1))) as tf.Scalar,
  );
}
