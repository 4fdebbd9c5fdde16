import * as tf from '@tensorflow/tfjs';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

export type TimeDenseActivation = 'linear' | 'sigmoid' | 'tanh' | 'relu' | 'softmax';

export interface TimeDenseArgs extends LayerArgs {
  units: number;
  /** Applied per frame on the last axis. Default 'linear'. */
  activation?: TimeDenseActivation;
  /** Seed for the glorotUniform kernel initialiser. */
  seed?: number;
}

/**
 * y = x·W + b as one op whose gradient transposes explicitly: dX = dY·(Wᵀ), dW = (Xᵀ)·dY. tfjs' matMul
 * gradient uses transposed-operand matMuls, 10-40× slower than plain ones on wasm.
 * x [rows, in], W [in, out], b [out] → [rows, out].
 */
export function denseRows(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D): tf.Tensor2D {
  const op = tf.customGrad((...args: unknown[]) => {
    const [xi, wi, bi, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
    save([xi, wi]);
    return {
      value: tf.add(tf.matMul(xi, wi), bi),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
        const d = dy as tf.Tensor2D;
        return [tf.matMul(d, tf.transpose(ws)), tf.matMul(tf.transpose(xs), d), tf.sum(d, 0)];
      },
    };
  });
  return op(x, w, b) as tf.Tensor2D;
}

/**
 * Dense applied to every frame of [B, T, in] (or to [B, in]) → [B, T, units] / [B, units], as one
 * matMul over all B*T rows with a fast gradient ({@link denseRows}); no TimeDistributed loop.
 * Weights in `getWeights()` order, the same as tfjs/Keras Dense (export it as a Dense layer):
 *   0. `<name>/kernel` [in, units]   1. `<name>/bias` [units]
 */
export class TimeDense extends tf.layers.Layer {
  static className = 'TimeDense';
  readonly units: number;
  readonly activation: TimeDenseActivation;
  readonly seed: number | undefined;
  private kernel: tf.LayerVariable | null = null;
  private bias: tf.LayerVariable | null = null;

  constructor(args: TimeDenseArgs) {
    super(args);
    if (!Number.isInteger(args.units) || args.units <= 0) {
      throw new Error(`TimeDense: units must be a positive integer, got ${String(args.units)}`);
    }
    const activation = args.activation ?? 'linear';
    if (!['linear', 'sigmoid', 'tanh', 'relu', 'softmax'].includes(activation)) {
      throw new Error(`TimeDense: unsupported activation '${String(activation)}'`);
    }
    this.units = args.units;
    this.activation = activation;
    this.seed = args.seed;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const inputDim = shape[shape.length - 1];
    if (inputDim == null)
      throw new Error(`TimeDense: last input dimension must be known, got [${shape.join(', ')}]`);
    this.kernel = this.addWeight(
      'kernel',
      [inputDim, this.units],
      'float32',
      tf.initializers.glorotUniform({ seed: this.seed }),
      undefined,
      true,
    );
    this.bias = this.addWeight('bias', [this.units], 'float32', tf.initializers.zeros(), undefined, true);
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [...shape.slice(0, -1), this.units];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs)!;
    if (!this.kernel || !this.bias) throw new Error('TimeDense: call before build');
    const w = this.kernel.read() as tf.Tensor2D;
    const b = this.bias.read() as tf.Tensor1D;
    return tf.tidy(() => {
      const inDim = x.shape[x.shape.length - 1]!;
      const rows = tf.reshape<tf.Rank.R2>(x, [-1, inDim]);
      const z = tf.reshape(denseRows(rows, w, b), [...x.shape.slice(0, -1), this.units]);
      switch (this.activation) {
        case 'sigmoid':
          return tf.sigmoid(z);
        case 'tanh':
          return tf.tanh(z);
        case 'relu':
          return tf.relu(z);
        case 'softmax':
          return tf.softmax(z);
        default:
          return z;
      }
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = { units: this.units, activation: this.activation };
    if (this.seed !== undefined) config.seed = this.seed;
    return { ...config, ...super.getConfig() };
  }

  override getClassName(): string {
    return TimeDense.className;
  }
}
tf.serialization.registerClass(TimeDense);

/** Factory: `timeDense({ units: 128, activation: 'sigmoid' })` after a returnSequences LSTM. */
export function timeDense(args: TimeDenseArgs): TimeDense {
  return new TimeDense(args);
}
