/**
 * Stateful recurrent RTNeural layers, one time step per `forward`, Keras weight layout.
 * @see ../shared/fixtures/rtneural/README.md "Streaming semantics" for the exact equations.
 */
import { sigmoid } from './activations';
import { lastDim, type GruLayerJson, type LstmLayerJson } from './schema';
import { addVecMat, flatMatrix, type StreamLayer } from './stream-layer';

/**
 * LSTM: z = x·K + h·R + b; gate blocks i, f, c, o of U columns each;
 * c' = σ(f)∘c + σ(i)∘tanh(g), h' = σ(o)∘tanh(c'). Output h'. State (h, c).
 */
export class LstmLayer implements StreamLayer {
  readonly outSize: number;
  private readonly kernel: Float64Array; // [in][4U]
  private readonly recurrent: Float64Array; // [U][4U]
  private readonly bias: Float64Array; // [4U]
  private readonly z: Float64Array;
  private readonly h: Float64Array;
  private readonly c: Float64Array;

  constructor(
    readonly inSize: number,
    json: LstmLayerJson,
  ) {
    const U = lastDim(json.shape);
    this.outSize = U;
    const [kernel, recurrent, bias] = json.weights;
    this.kernel = flatMatrix(kernel, inSize, 4 * U);
    this.recurrent = flatMatrix(recurrent, U, 4 * U);
    this.bias = Float64Array.from(bias);
    this.z = new Float64Array(4 * U);
    this.h = new Float64Array(U);
    this.c = new Float64Array(U);
  }

  forward(x: Float64Array): Float64Array {
    const U = this.outSize;
    const { z, h, c } = this;
    z.set(this.bias);
    addVecMat(z, x, this.kernel, 4 * U);
    addVecMat(z, h, this.recurrent, 4 * U);
    for (let u = 0; u < U; u++) {
      const i = sigmoid(z[u]!);
      const f = sigmoid(z[U + u]!);
      const g = Math.tanh(z[2 * U + u]!);
      const o = sigmoid(z[3 * U + u]!);
      const cNew = f * c[u]! + i * g;
      c[u] = cNew;
      h[u] = o * Math.tanh(cNew);
    }
    return h;
  }

  reset(): void {
    this.h.fill(0);
    this.c.fill(0);
  }
}

/**
 * GRU, Keras reset_after=True: a = x·K + b0, r_ = h·R + b1; gate blocks z, r, h;
 * z = σ(a_z + r_z), r = σ(a_r + r_r), n = tanh(a_h + r∘r_h), h' = z∘h + (1 − z)∘n. State h.
 */
export class GruLayer implements StreamLayer {
  readonly outSize: number;
  private readonly kernel: Float64Array; // [in][3U]
  private readonly recurrent: Float64Array; // [U][3U]
  private readonly inputBias: Float64Array; // [3U]
  private readonly recurrentBias: Float64Array; // [3U]
  private readonly a: Float64Array;
  private readonly r: Float64Array;
  private readonly h: Float64Array;

  constructor(
    readonly inSize: number,
    json: GruLayerJson,
  ) {
    const U = lastDim(json.shape);
    this.outSize = U;
    const [kernel, recurrent, bias] = json.weights;
    this.kernel = flatMatrix(kernel, inSize, 3 * U);
    this.recurrent = flatMatrix(recurrent, U, 3 * U);
    this.inputBias = Float64Array.from(bias[0]!);
    this.recurrentBias = Float64Array.from(bias[1]!);
    this.a = new Float64Array(3 * U);
    this.r = new Float64Array(3 * U);
    this.h = new Float64Array(U);
  }

  forward(x: Float64Array): Float64Array {
    const U = this.outSize;
    const { a, r, h } = this;
    a.set(this.inputBias);
    addVecMat(a, x, this.kernel, 3 * U);
    r.set(this.recurrentBias);
    addVecMat(r, h, this.recurrent, 3 * U);
    for (let u = 0; u < U; u++) {
      const zg = sigmoid(a[u]! + r[u]!);
      const rg = sigmoid(a[U + u]! + r[U + u]!);
      const n = Math.tanh(a[2 * U + u]! + rg * r[2 * U + u]!);
      h[u] = zg * h[u]! + (1 - zg) * n;
    }
    return h;
  }

  reset(): void {
    this.h.fill(0);
  }
}
