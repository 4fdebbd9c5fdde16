import * as tf from '@tensorflow/tfjs';
import { fusedLstm } from './fused-lstm-op';
import { LstmScratch } from './lstm-scratch';
import { orthogonalMatrix } from './orthogonal-init';

/** Base-layer arguments (name, inputShape, batchInputShape, trainable, …) as tfjs defines them. */
type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;
type LayerVariable = tf.LayerVariable;

export interface FusedLstmArgs extends LayerArgs {
  /** H, the number of units. */
  units: number;
  /** true: output [B, T, H] (every step); false (default, as tfjs): output [B, H] (last step). */
  returnSequences?: boolean;
  /** Keras' default: forget-gate bias initialised to 1 (tfjs' LSTM defaults to false). Default true. */
  unitForgetBias?: boolean;
  /** Seed for the kernel (glorotUniform) and recurrent kernel (orthogonal) initialisers. */
  seed?: number;
}

/**
 * LSTM layer with a hand-written forward and backward pass (see fused-lstm-op.ts), drop-in for
 * `tf.layers.lstm({ units, returnSequences, recurrentActivation: 'sigmoid' })`.
 *
 * Weights, in `getWeights()` order — the order the RTNeural exporter reads them, same names, shapes
 * and layout as tfjs/Keras LSTM:
 *   0. `<name>/kernel`            [inputDim, 4H]
 *   1. `<name>/recurrent_kernel`  [H, 4H]
 *   2. `<name>/bias`              [4H]
 * Columns of each are 4 blocks of H in gate order i (input), f (forget), c (cell candidate), o (output).
 * Recurrent activation: sigmoid (the logistic, not hardSigmoid); activation: tanh. Initial state zero.
 * No masking, dropout or statefulness. Works on every backend (reads tensors with dataSync).
 */
export class FusedLSTM extends tf.layers.Layer {
  /** Step-to-step reusable buffers of the forward/backward pass. */
  private readonly scratch = new LstmScratch();
  static className = 'FusedLSTM';
  readonly units: number;
  readonly returnSequences: boolean;
  readonly unitForgetBias: boolean;
  readonly seed: number | undefined;
  private kernel: LayerVariable | null = null;
  private recurrentKernel: LayerVariable | null = null;
  private bias: LayerVariable | null = null;

  constructor(args: FusedLstmArgs) {
    super(args);
    if (!Number.isInteger(args.units) || args.units <= 0) {
      throw new Error(`FusedLSTM: units must be a positive integer, got ${String(args.units)}`);
    }
    this.units = args.units;
    this.returnSequences = args.returnSequences ?? false;
    this.unitForgetBias = args.unitForgetBias ?? true;
    this.seed = args.seed;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const inputDim = shape[shape.length - 1];
    if (shape.length !== 3 || inputDim == null) {
      throw new Error(`FusedLSTM: expected input [batch, steps, features], got [${shape.join(', ')}]`);
    }
    const H = this.units;
    const seed = this.seed ?? Math.floor(Math.random() * 2 ** 31);
    this.kernel = this.addWeight(
      'kernel',
      [inputDim, 4 * H],
      'float32',
      tf.initializers.glorotUniform({ seed }),
      undefined,
      true,
    );
    // zeros, then overwritten: tfjs' QR-based orthogonal initializer takes seconds for [256, 1024] on
    // wasm, and tfjs does not export the Initializer base class to plug our own in.
    this.recurrentKernel = this.addWeight(
      'recurrent_kernel',
      [H, 4 * H],
      'float32',
      tf.initializers.zeros(),
      undefined,
      true,
    );
    const u = tf.tensor2d(orthogonalMatrix(H, 4 * H, seed + 1), [H, 4 * H]);
    this.recurrentKernel.write(u);
    u.dispose();
    this.bias = this.addWeight('bias', [4 * H], 'float32', tf.initializers.zeros(), undefined, true);
    const b = new Float32Array(4 * H);
    if (this.unitForgetBias) b.fill(1, H, 2 * H); // Keras' unit_forget_bias
    const bt = tf.tensor1d(b);
    this.bias.write(bt);
    bt.dispose();
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return this.returnSequences
      ? [shape[0] ?? null, shape[1] ?? null, this.units]
      : [shape[0] ?? null, this.units];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
    if (!this.kernel || !this.recurrentKernel || !this.bias) throw new Error('FusedLSTM: call before build');
    return fusedLstm(
      x,
      this.kernel.read() as tf.Tensor2D,
      this.recurrentKernel.read() as tf.Tensor2D,
      this.bias.read() as tf.Tensor1D,
      this.returnSequences,
      this.scratch,
    );
  }

  override getConfig(): tf.serialization.ConfigDict {
    const config: tf.serialization.ConfigDict = {
      units: this.units,
      returnSequences: this.returnSequences,
      unitForgetBias: this.unitForgetBias,
      recurrentActivation: 'sigmoid',
      activation: 'tanh',
    };
    if (this.seed !== undefined) config.seed = this.seed;
    return { ...config, ...super.getConfig() };
  }

  override getClassName(): string {
    return FusedLSTM.className;
  }
}
tf.serialization.registerClass(FusedLSTM);

/** Factory usable in `tf.sequential({ layers: [fusedLstmLayer({ units: 256, returnSequences: true, inputShape: [null, 64] })] })`. */
export function fusedLstmLayer(args: FusedLstmArgs): FusedLSTM {
  return new FusedLSTM(args);
}
