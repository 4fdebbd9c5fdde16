/**
 * One tfjs layer → RTNeural layer JSON, keyed by `getClassName()`. Reads only `getConfig()` and
 * `getWeights()` (Keras order and orientation), so custom layers from other modules (FusedLSTM, TimeDense,
 * CausalConv1D) are handled without importing them.
 * @see ../shared/fixtures/rtneural/README.md "Exporting from tfjs: facts that matter"
 */
import type * as tf from '@tensorflow/tfjs';
import { foldComposition, hierarchyComposition } from '../definitions/hierarchy-composition';
import type { RtneuralActivation } from './schema';

export class RtneuralExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RtneuralExportError';
  }
}

/** What a handler sees: the layer, its config, its weights as nested arrays, the input size. */
export interface LayerContext {
  layer: tf.layers.Layer;
  className: string;
  config: Record<string, unknown>;
  /** getWeights() as nested number arrays, checked finite, each rounded to 9 significant digits. */
  weights: { name: string; shape: number[]; value: unknown }[];
  inSize: number;
  /** Rank of the layer's input including the batch axis (2: [B, C], 3: [B, T, C]). */
  inRank: number;
}

/** A JSON layer (or none, for identity layers) and the size it outputs. */
export interface ExportedLayer {
  json: Record<string, unknown> | null;
  outSize: number;
}

const TFJS_TO_RTNEURAL: Record<string, RtneuralActivation> = {
  linear: '',
  tanh: 'tanh',
  relu: 'relu',
  sigmoid: 'sigmoid',
  softmax: 'softmax',
  elu: 'elu',
};

function where(ctx: LayerContext): string {
  return `layer "${ctx.layer.name}" (${ctx.className})`;
}

/** Maps a tfjs activation name to RTNeural's; refuses anything RTNeural cannot run. */
export function mapActivation(ctx: LayerContext, key = 'activation'): RtneuralActivation {
  const raw = ctx.config[key] ?? 'linear';
  const name = typeof raw === 'string' ? raw : JSON.stringify(raw);
  const mapped = TFJS_TO_RTNEURAL[name];
  if (mapped === undefined) {
    throw new RtneuralExportError(
      `${where(ctx)}: ${key} '${name}' has no RTNeural equivalent (supported: ${Object.keys(TFJS_TO_RTNEURAL).join(', ')})`,
    );
  }
  return mapped;
}

function shapeOf(units: number): (number | null)[] {
  return [null, null, units];
}

function weight(ctx: LayerContext, index: number, rank: number): unknown {
  const w = ctx.weights[index];
  if (!w || w.shape.length !== rank) {
    throw new RtneuralExportError(
      `${where(ctx)}: expected weight ${index} of rank ${rank}, got ${w ? `[${w.shape.join(', ')}] (${w.name})` : 'none'}`,
    );
  }
  return w.value;
}

function intOf(v: unknown, what: string, ctx: LayerContext): number {
  const n = Array.isArray(v) ? (v[v.length - 1] as unknown) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n <= 0) {
    throw new RtneuralExportError(
      `${where(ctx)}: ${what} must be a positive integer, got ${JSON.stringify(v)}`,
    );
  }
  if (Array.isArray(v) && v.some((x) => x !== n)) {
    throw new RtneuralExportError(`${where(ctx)}: ${what} ${JSON.stringify(v)} is not 1-D`);
  }
  return n;
}

/** Dense / TimeDense: [kernel[in][U], bias[U]] (zero bias written when useBias is false). */
function dense(ctx: LayerContext): ExportedLayer {
  const kernel = weight(ctx, 0, 2) as number[][];
  const units = kernel[0]?.length ?? 0;
  const bias = ctx.weights.length > 1 ? (weight(ctx, 1, 1) as number[]) : new Array<number>(units).fill(0);
  const json = {
    type: 'dense',
    activation: mapActivation(ctx),
    shape: shapeOf(units),
    weights: [kernel, bias],
  };
  return { json, outSize: units };
}

/** HierarchicalHeads: factor kernel [in][F] and bias [F] folded through the composition into one linear dense. */
function hierarchicalHeads(ctx: LayerContext): ExportedLayer {
  const levels = ctx.config.levels as { base: number; sub: number; leaf: number } | undefined;
  const extra = ctx.config.extra;
  if (!levels || typeof extra !== 'number')
    throw new RtneuralExportError(`${where(ctx)}: config needs levels {base, sub, leaf} and extra`);
  const c = hierarchyComposition(levels, extra);
  const kernel = weight(ctx, 0, 2) as number[][];
  const bias = weight(ctx, 1, 1) as number[];
  if (kernel[0]?.length !== c.factors || bias.length !== c.factors)
    throw new RtneuralExportError(
      `${where(ctx)}: kernel has ${kernel[0]?.length ?? 0} factors, the composition ${c.factors}`,
    );
  const folded = foldComposition(c, kernel, bias);
  const round = (v: number) => Number(Math.fround(v).toPrecision(9));
  const json = {
    type: 'dense',
    activation: '',
    shape: shapeOf(c.outputs),
    weights: [folded.kernel.map((row) => row.map(round)), folded.bias.map(round)],
  };
  return { json, outSize: c.outputs };
}

/** LSTM / FusedLSTM: Keras layout, i f c o; RTNeural hard-codes tanh + logistic sigmoid. */
function lstm(ctx: LayerContext): ExportedLayer {
  const c = ctx.config;
  const rec = c.recurrentActivation ?? 'hardSigmoid';
  if (rec !== 'sigmoid') {
    throw new RtneuralExportError(
      `${where(ctx)}: recurrentActivation ${JSON.stringify(rec)} — RTNeural's LSTM uses the logistic sigmoid; ` +
        "train with recurrentActivation: 'sigmoid' (tfjs defaults to hardSigmoid, which differs by ~3e-2 to 7e-2)",
    );
  }
  if ((c.activation ?? 'tanh') !== 'tanh') {
    throw new RtneuralExportError(
      `${where(ctx)}: activation ${JSON.stringify(c.activation)} — RTNeural's LSTM uses tanh`,
    );
  }
  if (c.useBias === false)
    throw new RtneuralExportError(`${where(ctx)}: useBias false — RTNeural's LSTM needs a bias`);
  if (c.goBackwards === true) throw new RtneuralExportError(`${where(ctx)}: goBackwards cannot stream`);
  const kernel = weight(ctx, 0, 2) as number[][];
  const recurrent = weight(ctx, 1, 2) as number[][];
  const bias = weight(ctx, 2, 1) as number[];
  const units = recurrent.length;
  return {
    json: { type: 'lstm', activation: 'tanh', shape: shapeOf(units), weights: [kernel, recurrent, bias] },
    outSize: units,
  };
}

/** tfjs GRU is reset-before; RTNeural runs only Keras reset_after=True, which tfjs cannot build. */
function gru(ctx: LayerContext): ExportedLayer {
  if (ctx.config.resetAfter !== true) {
    throw new RtneuralExportError(
      `${where(ctx)}: tfjs GRU is reset-before (reset_after=False, bias [3U]); RTNeural implements only ` +
        'reset_after=True (bias [2][3U]), so its output would differ (0.75 on the fixture). Use an LSTM.',
    );
  }
  if (ctx.config.recurrentActivation !== 'sigmoid' || (ctx.config.activation ?? 'tanh') !== 'tanh') {
    throw new RtneuralExportError(
      `${where(ctx)}: RTNeural's GRU needs activation tanh and recurrentActivation sigmoid`,
    );
  }
  const kernel = weight(ctx, 0, 2) as number[][];
  const recurrent = weight(ctx, 1, 2) as number[][];
  const bias = weight(ctx, 2, 2) as number[][];
  const units = recurrent.length;
  return {
    json: { type: 'gru', activation: 'tanh', shape: shapeOf(units), weights: [kernel, recurrent, bias] },
    outSize: units,
  };
}

/** Conv1D (padding valid|causal) and CausalConv1D: kernel [k][in][U], bias [U], stride 1. */
function conv1d(ctx: LayerContext): ExportedLayer {
  const c = ctx.config;
  const padding = c.padding ?? 'valid';
  if (padding !== 'valid' && padding !== 'causal') {
    throw new RtneuralExportError(
      `${where(ctx)}: padding ${JSON.stringify(padding)} — RTNeural's conv1d is causal; train with 'valid'`,
    );
  }
  if (c.strides !== undefined && intOf(c.strides, 'strides', ctx) !== 1) {
    throw new RtneuralExportError(
      `${where(ctx)}: strides ${JSON.stringify(c.strides)} — RTNeural's conv1d runs stride 1 only`,
    );
  }
  if (c.dataFormat !== undefined && c.dataFormat !== 'channelsLast') {
    throw new RtneuralExportError(
      `${where(ctx)}: dataFormat ${JSON.stringify(c.dataFormat)} — export channelsLast only`,
    );
  }
  const kernel = weight(ctx, 0, 3) as number[][][];
  const k = kernel.length;
  if (intOf(c.kernelSize, 'kernelSize', ctx) !== k) {
    throw new RtneuralExportError(
      `${where(ctx)}: kernelSize ${JSON.stringify(c.kernelSize)} ≠ kernel taps ${k}`,
    );
  }
  const dilation = intOf(c.dilationRate ?? c.dilation ?? 1, 'dilation', ctx);
  const units = kernel[0]?.[0]?.length ?? 0;
  const bias = ctx.weights.length > 1 ? (weight(ctx, 1, 1) as number[]) : new Array<number>(units).fill(0);
  const json = {
    type: 'conv1d',
    activation: mapActivation(ctx),
    shape: shapeOf(units),
    kernel_size: [k],
    dilation: [dilation],
    weights: [kernel, bias],
  };
  return { json, outSize: units };
}

/** BatchNormalization on the last axis; always all four arrays, gamma 1 / beta 0 filled in. */
function batchnorm(ctx: LayerContext): ExportedLayer {
  const c = ctx.config;
  const axis = c.axis ?? -1;
  if (axis !== -1 && axis !== ctx.inRank - 1) {
    throw new RtneuralExportError(
      `${where(ctx)}: axis ${JSON.stringify(axis)} — only the last (channel) axis streams`,
    );
  }
  const C = ctx.inSize;
  let i = 0;
  const gamma = c.scale === false ? new Array<number>(C).fill(1) : (weight(ctx, i++, 1) as number[]);
  const beta = c.center === false ? new Array<number>(C).fill(0) : (weight(ctx, i++, 1) as number[]);
  const mean = weight(ctx, i++, 1) as number[];
  const variance = weight(ctx, i, 1) as number[];
  const epsilon = typeof c.epsilon === 'number' ? c.epsilon : 0.001;
  return {
    json: {
      type: 'batchnorm',
      activation: '',
      shape: shapeOf(C),
      epsilon,
      weights: [gamma, beta, mean, variance],
    },
    outSize: C,
  };
}

/** PReLU with one alpha per channel ([C] on 2-D input, [1][C] with sharedAxes [1] on 3-D). */
function prelu(ctx: LayerContext): ExportedLayer {
  const w = ctx.weights[0];
  const C = ctx.inSize;
  const ok =
    w &&
    ((w.shape.length === 1 && w.shape[0] === C) ||
      (w.shape.length === 2 && w.shape[0] === 1 && w.shape[1] === C));
  if (!w || !ok) {
    throw new RtneuralExportError(
      `${where(ctx)}: alpha of shape [${w?.shape.join(', ') ?? ''}] — RTNeural needs one alpha per channel; build it with sharedAxes: [1]`,
    );
  }
  const alpha = (w.shape.length === 1 ? w.value : (w.value as number[][])[0]) as number[];
  return { json: { type: 'prelu', activation: '', shape: shapeOf(C), weights: [[alpha]] }, outSize: C };
}

/** Activation layer; a linear one is the identity and is left out. */
function activation(ctx: LayerContext): ExportedLayer {
  const act = mapActivation(ctx);
  if (act === '') return { json: null, outSize: ctx.inSize };
  return {
    json: { type: 'activation', activation: act, shape: shapeOf(ctx.inSize), weights: [] },
    outSize: ctx.inSize,
  };
}

/** Identity at inference time. */
function skip(ctx: LayerContext): ExportedLayer {
  return { json: null, outSize: ctx.inSize };
}

export const LAYER_EXPORTERS: Record<string, (ctx: LayerContext) => ExportedLayer> = {
  Dense: dense,
  TimeDense: dense,
  HierarchicalHeads: hierarchicalHeads,
  LSTM: lstm,
  FusedLSTM: lstm,
  GRU: gru,
  Conv1D: conv1d,
  CausalConv1D: conv1d,
  BatchNormalization: batchnorm,
  PReLU: prelu,
  Activation: activation,
  Dropout: skip,
  InputLayer: skip,
};
