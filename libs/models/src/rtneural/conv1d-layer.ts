/**
 * RTNeural's causal, dilated, stride-1 Conv1D, one frame per `forward`:
 * y[t] = act(bias + Σ_{i=0..k-1} x[t − (k−1−i)·d] · K[i]), inputs before the first frame are 0.
 * Keras `padding: 'causal'`; for t ≥ (k−1)·d it equals the `'valid'` output at t − (k−1)·d.
 */
import { activationOp, type VectorOp } from './activations';
import { lastDim, lastInt, type Conv1dLayerJson } from './schema';
import { addVecMat, flatMatrix, type StreamLayer } from './stream-layer';

export class Conv1dLayer implements StreamLayer {
  readonly outSize: number;
  private readonly taps: Float64Array[]; // k matrices [in][U]; tap k-1 is the current frame
  private readonly bias: Float64Array;
  private readonly dilation: number;
  private readonly act: VectorOp;
  /** Ring buffer of the last (k−1)·d + 1 input frames. */
  private readonly history: Float64Array[];
  private pos = 0;
  private readonly out: Float64Array;

  constructor(
    readonly inSize: number,
    json: Conv1dLayerJson,
  ) {
    this.outSize = lastDim(json.shape);
    const k = lastInt(json.kernel_size);
    this.dilation = lastInt(json.dilation);
    const [kernel, bias] = json.weights;
    this.taps = kernel.map((tap) => flatMatrix(tap, inSize, this.outSize));
    this.bias = Float64Array.from(bias);
    this.act = activationOp(json.activation ?? '');
    this.history = Array.from({ length: (k - 1) * this.dilation + 1 }, () => new Float64Array(inSize));
    this.out = new Float64Array(this.outSize);
  }

  forward(x: Float64Array): Float64Array {
    const L = this.history.length;
    const k = this.taps.length;
    this.pos = (this.pos + 1) % L;
    this.history[this.pos]!.set(x.subarray(0, this.inSize));
    this.out.set(this.bias);
    for (let i = 0; i < k; i++) {
      const lag = (k - 1 - i) * this.dilation;
      const frame = this.history[(this.pos - lag + L) % L]!;
      addVecMat(this.out, frame, this.taps[i]!, this.outSize);
    }
    this.act(this.out);
    return this.out;
  }

  reset(): void {
    for (const frame of this.history) frame.fill(0);
    this.pos = 0;
  }
}
