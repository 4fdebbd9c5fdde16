import * as tf from '@tensorflow/tfjs';
import { fusedLstmLayer } from '../src/lstm/fused-lstm';
import { timeDense } from '../src/lstm/time-dense';

export interface MelodyBenchModelArgs {
  /** Frames per clip (64 ≈ 1 s, 313 ≈ 5 s at a 16 ms hop). */
  frames: number;
  /** 'stock': tf.layers.lstm (sigmoid) + tf.layers.dense on 3-D input; 'fused': FusedLSTM + TimeDense;
   * 'fused-stock-dense': FusedLSTM + tf.layers.dense (isolates the TimeDense gain). */
  kind: 'stock' | 'fused' | 'fused-stock-dense';
  seed: number;
}

/** Mel bands in, LSTM units, pitches out: the seed's MelodyTransformer shape. */
export const MELODY_SHAPE = { mels: 64, units: 256, layers: 3, pitches: 128 } as const;

/** MelodyTransformer shape: 64 mels → 3 × LSTM 256 (sequences) → dropout 0.2 → dense 128 sigmoid per frame. */
export function melodyBenchModel(args: MelodyBenchModelArgs): tf.LayersModel {
  const { mels, units, layers, pitches } = MELODY_SHAPE;
  const model = tf.sequential();
  for (let l = 0; l < layers; l++) {
    const inputShape = l === 0 ? [args.frames, mels] : undefined;
    model.add(
      args.kind === 'stock'
        ? tf.layers.lstm({
            units,
            returnSequences: true,
            recurrentActivation: 'sigmoid',
            inputShape,
            recurrentInitializer: 'glorotUniform',
            kernelInitializer: tf.initializers.glorotUniform({ seed: args.seed + l }),
          })
        : fusedLstmLayer({ units, returnSequences: true, inputShape, seed: args.seed + l }),
    );
  }
  model.add(tf.layers.dropout({ rate: 0.2, seed: args.seed }));
  model.add(
    args.kind === 'fused'
      ? timeDense({ units: pitches, activation: 'sigmoid', seed: args.seed + 9 })
      : tf.layers.dense({ units: pitches, activation: 'sigmoid' }),
  );
  return model;
}

/**
 * Matmul FLOPs of one training sample (forward + backward ≈ 3 × forward: the backward pass does the
 * input-gradient and the weight-gradient products, each as large as the forward one).
 * Forward per frame: Σ_layers 2·(in + H)·4H (input and recurrent projections) + 2·H·pitches (dense).
 */
export function melodyFlopsPerSample(frames: number): number {
  const { mels, units: H, layers, pitches } = MELODY_SHAPE;
  let perFrame = 2 * H * pitches;
  for (let l = 0; l < layers; l++) perFrame += 2 * ((l === 0 ? mels : H) + H) * 4 * H;
  return 3 * perFrame * frames;
}
