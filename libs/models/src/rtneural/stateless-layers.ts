/** Stateless RTNeural layers: dense (+ its activation), batchnorm, prelu, activation. */
import { activationOp, type VectorOp } from './activations';
import type {
  ActivationLayerJson,
  BatchnormLayerJson,
  DenseLayerJson,
  PreluLayerJson,
  RtneuralActivation,
} from './schema';
import { addVecMat, flatMatrix, type StreamLayer } from './stream-layer';
import { lastDim } from './schema';

/** y = act(x·K + b); K [in][U], b [U] (zero when omitted). */
export class DenseLayer implements StreamLayer {
  readonly outSize: number;
  private readonly kernel: Float64Array;
  private readonly bias: Float64Array;
  private readonly act: VectorOp;
  private readonly out: Float64Array;

  constructor(
    readonly inSize: number,
    json: DenseLayerJson,
  ) {
    this.outSize = lastDim(json.shape);
    const [kernel, bias] = json.weights;
    this.kernel = flatMatrix(kernel, inSize, this.outSize);
    this.bias = bias ? Float64Array.from(bias) : new Float64Array(this.outSize);
    this.act = activationOp(json.activation ?? '');
    this.out = new Float64Array(this.outSize);
  }

  forward(x: Float64Array): Float64Array {
    this.out.set(this.bias);
    addVecMat(this.out, x, this.kernel, this.outSize);
    this.act(this.out);
    return this.out;
  }

  reset(): void {}
}

/** y = gamma·(x − mean)/sqrt(var + eps) + beta; 2-array form has gamma = 1, beta = 0. */
export class BatchnormLayer implements StreamLayer {
  readonly outSize: number;
  private readonly scale: Float64Array;
  private readonly mean: Float64Array;
  private readonly beta: Float64Array;
  private readonly out: Float64Array;

  constructor(
    readonly inSize: number,
    json: BatchnormLayerJson,
  ) {
    this.outSize = inSize;
    const w = json.weights;
    const affine = w.length === 4;
    const gamma = affine ? w[0]! : new Array<number>(inSize).fill(1);
    this.beta = affine ? Float64Array.from(w[1]!) : new Float64Array(inSize);
    this.mean = Float64Array.from(w[affine ? 2 : 0]!);
    const variance = w[affine ? 3 : 1]!;
    this.scale = Float64Array.from(gamma, (g, i) => g / Math.sqrt(variance[i]! + json.epsilon));
    this.out = new Float64Array(inSize);
  }

  forward(x: Float64Array): Float64Array {
    for (let i = 0; i < this.outSize; i++)
      this.out[i] = this.scale[i]! * (x[i]! - this.mean[i]!) + this.beta[i]!;
    return this.out;
  }

  reset(): void {}
}

/** y = x >= 0 ? x : alpha·x, one alpha per channel (a single alpha is broadcast). */
export class PreluLayer implements StreamLayer {
  readonly outSize: number;
  private readonly alpha: Float64Array;
  private readonly out: Float64Array;

  constructor(
    readonly inSize: number,
    json: PreluLayerJson,
  ) {
    this.outSize = inSize;
    const a = json.weights[0][0];
    this.alpha = a.length === 1 ? new Float64Array(inSize).fill(a[0]!) : Float64Array.from(a);
    this.out = new Float64Array(inSize);
  }

  forward(x: Float64Array): Float64Array {
    for (let i = 0; i < this.outSize; i++) {
      const v = x[i]!;
      this.out[i] = v >= 0 ? v : this.alpha[i]! * v;
    }
    return this.out;
  }

  reset(): void {}
}

/** A standalone activation (`type: "activation"`), size = previous layer's output. */
export class ActivationLayer implements StreamLayer {
  readonly outSize: number;
  private readonly act: VectorOp;
  private readonly out: Float64Array;

  constructor(
    readonly inSize: number,
    json: ActivationLayerJson | { activation: RtneuralActivation },
  ) {
    this.outSize = inSize;
    this.act = activationOp(json.activation);
    this.out = new Float64Array(inSize);
  }

  forward(x: Float64Array): Float64Array {
    this.out.set(x);
    this.act(this.out);
    return this.out;
  }

  reset(): void {}
}
