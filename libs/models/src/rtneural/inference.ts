/**
 * TypeScript re-implementation of RTNeural's streaming inference (`Model<T>::forward` after
 * `json_parser::parseJson`), computed in float64. Matches RTNeural double to ~1e-15 and RTNeural float
 * within its own float rounding (< 1e-6 on the fixtures).
 */
import { Conv1dLayer } from './conv1d-layer';
import { GruLayer, LstmLayer } from './recurrent-layers';
import { lastDim, type RtneuralLayer } from './schema';
import { ActivationLayer, BatchnormLayer, DenseLayer, PreluLayer } from './stateless-layers';
import type { StreamLayer } from './stream-layer';
import { assertRtneuralModel } from './validate';

export interface RtneuralStreamModel {
  /** Numbers per input frame (`in_shape[-1]`). */
  readonly inSize: number;
  /** Numbers per output frame (last layer's size). */
  readonly outSize: number;
  /** One time step: frame of `inSize` numbers → new output frame of `outSize` (float32). */
  forward(frame: Float32Array | readonly number[]): Float32Array;
  /** Same as `forward` without rounding the output to float32; the buffer is reused by the next call. */
  forward64(frame: Float32Array | readonly number[]): Float64Array;
  /** Zeroes every state, as RTNeural's `Model::reset()`. */
  reset(): void;
}

function buildLayer(layer: RtneuralLayer, inSize: number): StreamLayer {
  switch (layer.type) {
    case 'dense':
    case 'time-distributed-dense':
      return new DenseLayer(inSize, layer);
    case 'lstm':
      return new LstmLayer(inSize, layer);
    case 'gru':
      return new GruLayer(inSize, layer);
    case 'conv1d':
      return new Conv1dLayer(inSize, layer);
    case 'batchnorm':
      return new BatchnormLayer(inSize, layer);
    case 'prelu':
      return new PreluLayer(inSize, layer);
    case 'activation':
      return new ActivationLayer(inSize, layer);
  }
}

/**
 * Builds a stateful streaming model from RTNeural JSON (parsed). Validates strictly first.
 * @throws RtneuralModelError listing every problem (path + message), naming `source` when given.
 */
export function loadRtneuralModel(json: unknown, source?: string): RtneuralStreamModel {
  const model = assertRtneuralModel(json, source);
  const inSize = lastDim(model.in_shape);
  const layers: StreamLayer[] = [];
  let size = inSize;
  for (const layer of model.layers) {
    const built = buildLayer(layer, size);
    layers.push(built);
    size = built.outSize;
  }
  const input = new Float64Array(inSize);

  const forward64 = (frame: Float32Array | readonly number[]): Float64Array => {
    if (frame.length !== inSize) {
      throw new RangeError(`RTNeural model expects frames of ${inSize} numbers, got ${frame.length}`);
    }
    for (let i = 0; i < inSize; i++) input[i] = frame[i]!;
    let x: Float64Array = input;
    for (const layer of layers) x = layer.forward(x);
    return x;
  };

  return {
    inSize,
    outSize: size,
    forward64,
    forward: (frame) => Float32Array.from(forward64(frame)),
    reset: () => {
      for (const layer of layers) layer.reset();
    },
  };
}
