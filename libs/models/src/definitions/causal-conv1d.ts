import * as tf from '@tensorflow/tfjs';
import { denseRows } from '../lstm/time-dense';

export type CausalConvActivation = 'tanh' | 'relu' | 'sigmoid' | 'elu' | 'linear';

export interface CausalConv1DArgs {
  filters: number;
  kernelSize: number;
  /** Dilation d; taps at t, t−d, …, t−(k−1)d. */
  dilation?: number;
  activation?: CausalConvActivation;
  /** 'causal' (default): left-pads (k−1)·d zero frames, frames in = frames out, equal to RTNeural streaming. */
  padding?: 'causal' | 'valid';
  /** Seed of the glorotUniform kernel initialiser; omitted = random. */
  seed?: number;
  name?: string;
  inputShape?: [number | null, number];
  /** Set by deserialisation (Layer.getConfig writes it for a first layer). */
  batchInputShape?: (number | null)[];
  trainable?: boolean;
}

/**
 * A stride-1 causal 1-D convolution (zero history, like RTNeural's `conv1d`), computed as one matMul of
 * k time-shifted inputs.
 * Why not `tf.layers.conv1d`: its gradient needs the `Conv2DBackpropFilter` kernel, which the wasm
 * backend of tfjs 4.22 does not have. Weights are Keras Conv1D's exactly — kernel [k][in][filters],
 * bias [filters] — so it exports to RTNeural's (causal) `conv1d` unchanged.
 * Shapes: [batch, frames, in] → [batch, frames, filters] ('causal'), or frames − (k−1)·d ('valid', i.e.
 * the "train with valid padding on left-padded clips", with the padding done inside the layer).
 */
export class CausalConv1D extends tf.layers.Layer {
  static readonly className = 'CausalConv1D';
  readonly filters: number;
  readonly kernelSize: number;
  readonly dilation: number;
  readonly activation: CausalConvActivation;
  readonly padding: 'causal' | 'valid';
  readonly seed: number | undefined;
  private kernel: tf.LayerVariable | null = null;
  private bias: tf.LayerVariable | null = null;

  constructor(args: CausalConv1DArgs) {
    super(args);
    this.filters = args.filters;
    this.kernelSize = args.kernelSize;
    this.dilation = args.dilation ?? 1;
    this.activation = args.activation ?? 'linear';
    this.padding = args.padding ?? 'causal';
    this.seed = args.seed;
  }

  /** Frames consumed before the first output: (k−1)·d. */
  get receptiveHistory(): number {
    return (this.kernelSize - 1) * this.dilation;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const inDim = shape[shape.length - 1];
    if (typeof inDim !== 'number') throw new Error(`${this.name}: the last input dimension must be known`);
    this.kernel = this.addWeight(
      'kernel',
      [this.kernelSize, inDim, this.filters],
      'float32',
      tf.initializers.glorotUniform(this.seed === undefined ? {} : { seed: this.seed }),
    );
    this.bias = this.addWeight('bias', [this.filters], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const frames = s[1];
    const lost = this.padding === 'causal' ? 0 : this.receptiveHistory;
    return [s[0] ?? null, typeof frames === 'number' ? frames - lost : null, this.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const raw = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
      const x =
        this.padding === 'causal'
          ? tf.pad(raw, [
              [0, 0],
              [this.receptiveHistory, 0],
              [0, 0],
            ])
          : raw;
      if (this.kernel === null || this.bias === null) throw new Error(`${this.name}: call before build`);
      const [batch, frames, inDim] = x.shape;
      const out = frames - this.receptiveHistory;
      if (out <= 0)
        throw new Error(
          `${this.name}: ${frames} frames is not more than the ${this.receptiveHistory}-frame history`,
        );
      // Row (b, t) of `taps` = [x[t], x[t+d], …, x[t+(k−1)d]] matches kernel [k][in][U] reshaped [k·in][U].
      const taps: tf.Tensor[] = [];
      for (let i = 0; i < this.kernelSize; i++)
        taps.push(tf.slice(x, [0, i * this.dilation, 0], [batch, out, inDim]));
      const rows = tf.reshape<tf.Rank.R2>(tf.concat(taps, 2), [batch * out, this.kernelSize * inDim]);
      const kernel = tf.reshape<tf.Rank.R2>(this.kernel.read(), [this.kernelSize * inDim, this.filters]);
      const y = tf.reshape(denseRows(rows, kernel, this.bias.read() as tf.Tensor1D), [
        batch,
        out,
        this.filters,
      ]);
      switch (this.activation) {
        case 'tanh':
          return tf.tanh(y);
        case 'relu':
          return tf.relu(y);
        case 'sigmoid':
          return tf.sigmoid(y);
        case 'elu':
          return tf.elu(y);
        default:
          return y;
      }
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      dilation: this.dilation,
      activation: this.activation,
      padding: this.padding,
    };
  }
}
tf.serialization.registerClass(CausalConv1D);
