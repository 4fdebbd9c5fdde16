import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { timeDense } from '../lstm/time-dense';
import { lstmLayer } from './recurrent';
import { seedOf } from './seed';

/** GroovePredictor: per-step groove features → 32 timing offsets (the original config's output size). */
export const GroovePredictorConfigSchema = z.object({
  /** Features per input step (set from the dataset). */
  inputDim: z.number().int().positive().default(16),
  lstm1Units: z.number().int().positive().default(128),
  lstm2Units: z.number().int().positive().default(64),
  /** Timing offsets predicted per step, in the dataset's normalised unit (see the trainer for ms). */
  outputs: z.number().int().positive().default(32),
  /** Seeds every initialiser (layer i gets seed + 7919·i); omitted = random init. */
  seed: z.number().int().min(0).optional(),
});
export type GroovePredictorConfig = z.infer<typeof GroovePredictorConfigSchema>;

/** @returns [batch, steps, inputDim] → [batch, steps, outputs], linear (regression) outputs per step. */
export function createGroovePredictor(config: Partial<GroovePredictorConfig> = {}): tf.Sequential {
  const c = GroovePredictorConfigSchema.parse(config);
  const model = tf.sequential({ name: 'groovepredictor' });
  model.add(
    lstmLayer({
      units: c.lstm1Units,
      returnSequences: true,
      name: 'lstm_1',
      inputShape: [null, c.inputDim],
      ...seedOf(c.seed, 0),
    }),
  );
  model.add(lstmLayer({ units: c.lstm2Units, returnSequences: true, name: 'lstm_2', ...seedOf(c.seed, 1) }));
  model.add(timeDense({ units: c.outputs, name: 'offsets', ...seedOf(c.seed, 99) }));
  return model;
}

/** Mean squared error over every element. Shapes [batch, steps, outputs]. */
export function grooveLoss(target: tf.Tensor, pred: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.square(tf.sub(pred, target))));
}
