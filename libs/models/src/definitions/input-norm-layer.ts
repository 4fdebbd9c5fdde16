import * as tf from '@tensorflow/tfjs';
import { timeDense } from '../lstm/time-dense';

/** Name of the frozen input-normalisation layer (a dense in→in, diagonal kernel) some models start with. */
export const INPUT_NORM_LAYER = 'input_norm';

/**
 * Adds the frozen first layer y = x·K + b (K diagonal) that maps raw features (e.g. log-mel) to
 * normalised ones; identity until the trainer sets K = diag(1/std), b = −mean/std from the training split.
 * RTNeural runs it as a plain `dense`, so the plugin feeds raw features.
 */
export function addInputNorm(model: tf.Sequential, dim: number): void {
  model.add(timeDense({ units: dim, name: INPUT_NORM_LAYER, trainable: false, inputShape: [null, dim] }));
  const layer = model.getLayer(INPUT_NORM_LAYER);
  const eye = tf.eye(dim);
  const zero = tf.zeros([dim]);
  layer.setWeights([eye, zero]);
  tf.dispose([eye, zero]);
}
