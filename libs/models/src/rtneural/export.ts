/**
 * tfjs LayersModel → RTNeural JSON (`json_parser::parseJson` format), refusing anything RTNeural would
 * crash on, skip or run differently; the result passes `validateRtneuralModel` or this throws.
 */
import type * as tf from '@tensorflow/tfjs';
import { LAYER_EXPORTERS, RtneuralExportError, type LayerContext } from './export-layers';
import type { RtneuralModel } from './schema';
import { RtneuralModelError, validateRtneuralModel } from './validate';

export { RtneuralExportError } from './export-layers';

/**
 * A float32 as the shortest-enough decimal: 9 significant digits always round-trip a float32
 * (`Math.fround(float32ToJsonNumber(x)) === Math.fround(x)`), and keep the file about half the size
 * of the 17-digit double form.
 */
export function float32ToJsonNumber(x: number): number {
  return Number(Math.fround(x).toPrecision(9));
}

/** Nested number arrays of a tensor's values (row-major), each passed through `float32ToJsonNumber`. */
function nest(values: Float32Array | Int32Array | Uint8Array, shape: readonly number[]): unknown {
  if (shape.length === 0) return float32ToJsonNumber(values[0] ?? 0);
  const build = (offset: number, dim: number): unknown => {
    const n = shape[dim]!;
    if (dim === shape.length - 1) {
      const row = new Array<number>(n);
      for (let i = 0; i < n; i++) row[i] = float32ToJsonNumber(values[offset + i]!);
      return row;
    }
    const stride = shape.slice(dim + 1).reduce((a, b) => a * b, 1);
    return Array.from({ length: n }, (_, i) => build(offset + i * stride, dim + 1));
  };
  return build(0, 0);
}

function readWeights(layer: tf.layers.Layer): LayerContext['weights'] {
  const names = layer.weights.map((w) => w.originalName || w.name);
  return layer.getWeights().map((t, i) => {
    const values = t.dataSync() as Float32Array;
    const bad = values.findIndex((v) => !Number.isFinite(v));
    const name = names[i] ?? `weight ${i}`;
    if (bad >= 0) {
      throw new RtneuralExportError(
        `layer "${layer.name}" (${layer.getClassName()}): weight ${name} [${t.shape.join(', ')}] has a non-finite value ` +
          `(${values[bad]}) at flat index ${bad}; refusing to export (JSON would carry null, which RTNeural cannot load)`,
      );
    }
    return { name, shape: [...t.shape], value: nest(values, t.shape) };
  });
}

/** Refuses anything but a single chain of layers (one input, one output, no branches). */
function checkChain(model: tf.LayersModel): void {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new RtneuralExportError(
      `model "${model.name}": RTNeural runs one input and one output, got ${model.inputs.length} and ${model.outputs.length}`,
    );
  }
  let prev: tf.layers.Layer | undefined;
  for (const layer of model.layers) {
    const nodes = layer.inboundNodes;
    const inbound = nodes[0]?.inboundLayers ?? [];
    const fromInput =
      layer.getClassName() === 'InputLayer' ||
      (prev === undefined && inbound.length === 1 && inbound[0]?.getClassName() === 'InputLayer');
    if (nodes.length > 1 || (!fromInput && (inbound.length !== 1 || inbound[0] !== prev))) {
      throw new RtneuralExportError(
        `layer "${layer.name}" (${layer.getClassName()}): the model is not a single chain of layers`,
      );
    }
    prev = layer;
  }
}

/**
 * Exports a sequential-chain tfjs model to RTNeural JSON: `{ in_shape: [null, null, inDim], layers }`.
 * Supported: Dense/TimeDense (per frame on 3-D input), LSTM/FusedLSTM (sigmoid recurrent activation),
 * Conv1D/CausalConv1D (valid|causal, stride 1, dilation), BatchNormalization, PReLU, Activation;
 * Dropout and InputLayer are skipped; GRU (tfjs is reset-before) and every other class are refused.
 * @throws RtneuralExportError naming the layer and class; RtneuralModelError if the result fails validation.
 */
export function exportToRtneural(model: tf.LayersModel): RtneuralModel {
  checkChain(model);
  const inputShape = model.inputs[0]!.shape;
  let size = inputShape[inputShape.length - 1];
  if (typeof size !== 'number')
    throw new RtneuralExportError(`model "${model.name}": the input's last dimension must be known`);
  const inDim = size;
  const layers: Record<string, unknown>[] = [];
  for (const layer of model.layers) {
    const className = layer.getClassName();
    const exporter = LAYER_EXPORTERS[className];
    if (!exporter) {
      throw new RtneuralExportError(
        `layer "${layer.name}" (${className}) cannot be exported: RTNeural has no such layer and would silently skip it ` +
          `(supported: ${Object.keys(LAYER_EXPORTERS).join(', ')})`,
      );
    }
    const inShape = layer.inboundNodes[0]?.inputShapes;
    const inRank = Array.isArray(inShape?.[0]) ? (inShape[0] as unknown[]).length : (inShape?.length ?? 3);
    const ctx: LayerContext = {
      layer,
      className,
      config: layer.getConfig(),
      weights: readWeights(layer),
      inSize: size,
      inRank,
    };
    const out = exporter(ctx);
    if (out.json) layers.push(out.json);
    size = out.outSize;
  }
  const json = { in_shape: [null, null, inDim], layers };
  const result = validateRtneuralModel(json);
  if (!result.ok || !result.model)
    throw new RtneuralModelError(result.errors, `export of model "${model.name}"`);
  return result.model;
}
