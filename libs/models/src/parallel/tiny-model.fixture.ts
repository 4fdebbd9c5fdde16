import * as tf from '@tensorflow/tfjs';
import { fusedLstmLayer } from '../lstm/fused-lstm';
import { timeDense } from '../lstm/time-dense';

/**
 * Test model for the parallel trainer: [B, 6, 3] → frozen TimeDense 3 (non-trainable, like an input
 * normalisation) → FusedLSTM 8 → TimeDense 2 sigmoid. Deterministic per seed.
 */
export function tinyModel(args: { seed: number }): tf.LayersModel {
  return tf.sequential({
    layers: [
      timeDense({ units: 3, inputShape: [6, 3], trainable: false, seed: args.seed + 20 }),
      fusedLstmLayer({ units: 8, returnSequences: true, seed: args.seed }),
      timeDense({ units: 2, activation: 'sigmoid', seed: args.seed + 10 }),
    ],
  });
}

/** Custom loss for the parallel trainer tests: ½ · mean squared error (batch mean). */
export function halfSquaredError(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mul(0.5, tf.mean(tf.square(tf.sub(yTrue, yPred)))));
}

/** Loss factory for the parallel trainer tests: `scale` · mean squared error (batch mean). */
export function scaledSquaredError(args: {
  scale: number;
}): (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar {
  return (yTrue, yPred) => tf.tidy(() => tf.mul(args.scale, tf.mean(tf.square(tf.sub(yTrue, yPred)))));
}
