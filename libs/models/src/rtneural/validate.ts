/**
 * Strict validator for RTNeural JSON models: accepts only what RTNeural loads correctly AND our
 * TypeScript inference reproduces. RTNeural itself checks almost no sizes (short arrays are zero-padded,
 * long ones throw, short vectors are read out of bounds), so every size is checked here against the
 * declared `shape` and the previous layer's output size.
 */
import type { z } from 'zod';
import {
  RTNEURAL_LAYER_TYPES,
  RTNEURAL_UNVERIFIED_TYPES,
  lastDim,
  lastInt,
  rtneuralEnvelopeSchema,
  rtneuralLayerSchema,
  type RtneuralLayer,
  type RtneuralModel,
} from './schema';

export interface RtneuralValidationError {
  /** JSON path of the offending value, e.g. `layers[0].weights[0][1][2]`. */
  path: string;
  message: string;
}

export interface RtneuralValidation {
  ok: boolean;
  errors: RtneuralValidationError[];
  /** The typed model, present when `ok`. */
  model?: RtneuralModel;
}

type PathPart = string | number;

/** `['layers', 0, 'weights', 1]` → `layers[0].weights[1]`. */
export function formatJsonPath(parts: readonly PropertyKey[]): string {
  let out = '';
  for (const p of parts) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out === '' ? '$' : out;
}

/** zod issues → errors; repeats of one message across siblings (e.g. every bias entry) become one error. */
function fromZod(issues: readonly z.core.$ZodIssue[], prefix: PathPart[]): RtneuralValidationError[] {
  const out: (RtneuralValidationError & { group: string; more: number })[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    const key = path[path.length - 1];
    const missing = issue.code === 'invalid_type' && issue.message.endsWith('received undefined');
    const message = missing ? `required key ${JSON.stringify(key)} is missing` : issue.message;
    const group = `${formatJsonPath(typeof key === 'number' ? path.slice(0, -1) : path)}|${message}`;
    const prev = out.find((e) => e.group === group);
    if (prev) prev.more += 1;
    else out.push({ path: formatJsonPath(path), message, group, more: 0 });
  }
  return out.map((e) => ({
    path: e.path,
    message: e.more > 0 ? `${e.message} (and ${e.more} more sibling entries)` : e.message,
  }));
}

/** Collects size errors for one layer; `inSize` is the previous layer's output size. */
class SizeChecker {
  readonly errors: RtneuralValidationError[] = [];
  constructor(private readonly prefix: PathPart[]) {}

  fail(rel: PathPart[], message: string): void {
    this.errors.push({ path: formatJsonPath([...this.prefix, ...rel]), message });
  }

  vector(rel: PathPart[], v: readonly number[], len: number, what: string): void {
    if (v.length !== len) this.fail(rel, `${what}: has ${v.length} entries, expected ${len}`);
  }

  matrix(rel: PathPart[], m: readonly (readonly number[])[], rows: number, cols: number, what: string): void {
    if (m.length !== rows) {
      this.fail(rel, `${what}: has ${m.length} rows, expected ${rows} ([${rows}][${cols}])`);
      return;
    }
    const bad = m.findIndex((row) => row.length !== cols);
    if (bad >= 0) {
      this.fail(
        [...rel, bad],
        `${what}: row ${bad} has ${m[bad]?.length} entries, expected ${cols} ([${rows}][${cols}])`,
      );
    }
  }
}

/** Checks one typed layer's sizes. @returns the layer's output size. */
function checkSizes(layer: RtneuralLayer, inSize: number, c: SizeChecker): number {
  if (layer.shape.length === 4)
    c.fail(['shape'], '4-entry shapes are conv2d layouts, which are not supported');
  const U = lastDim(layer.shape);
  const ofIn = `(in = ${inSize}, the previous layer's output size)`;
  switch (layer.type) {
    case 'dense':
    case 'time-distributed-dense': {
      const [kernel, bias] = layer.weights;
      c.matrix(['weights', 0], kernel, inSize, U, `dense kernel [in][U] ${ofIn}`);
      if (bias) c.vector(['weights', 1], bias, U, 'dense bias');
      return U;
    }
    case 'lstm': {
      const [kernel, rec, bias] = layer.weights;
      c.matrix(['weights', 0], kernel, inSize, 4 * U, `lstm kernel [in][4U] ${ofIn}, U = ${U}`);
      c.matrix(['weights', 1], rec, U, 4 * U, `lstm recurrent kernel [U][4U], U = ${U}`);
      c.vector(['weights', 2], bias, 4 * U, `lstm bias [4U], U = ${U}`);
      return U;
    }
    case 'gru': {
      const [kernel, rec, bias] = layer.weights;
      c.matrix(['weights', 0], kernel, inSize, 3 * U, `gru kernel [in][3U] ${ofIn}, U = ${U}`);
      c.matrix(['weights', 1], rec, U, 3 * U, `gru recurrent kernel [U][3U], U = ${U}`);
      c.matrix(['weights', 2], bias, 2, 3 * U, `gru bias [2][3U] (reset_after=True), U = ${U}`);
      return U;
    }
    case 'conv1d': {
      const k = lastInt(layer.kernel_size);
      const [kernel, bias] = layer.weights;
      if ((layer.groups ?? 1) !== 1)
        c.fail(['groups'], 'grouped conv1d is not supported (no RTNeural test vectors); use groups 1');
      if (layer.strides !== undefined && lastInt(layer.strides) !== 1)
        c.fail(['strides'], 'RTNeural conv1d runs stride 1 only');
      if (kernel.length !== k)
        c.fail(['weights', 0], `conv1d kernel has ${kernel.length} taps, kernel_size says ${k}`);
      kernel.forEach((tap, i) =>
        c.matrix(['weights', 0, i], tap, inSize, U, `conv1d kernel tap ${i} [in][U] ${ofIn}`),
      );
      c.vector(['weights', 1], bias, U, 'conv1d bias');
      return U;
    }
    case 'batchnorm': {
      const n = layer.weights.length;
      if (n !== 2 && n !== 4) {
        c.fail(
          ['weights'],
          `batchnorm needs 4 arrays [gamma, beta, mean, variance] or 2 [mean, variance], got ${n} (RTNeural misreads any other count)`,
        );
      }
      layer.weights.forEach((v, i) => c.vector(['weights', i], v, inSize, `batchnorm array ${i} ${ofIn}`));
      const variance = layer.weights[n - 1] ?? [];
      const bad = variance.findIndex((v) => !(v + layer.epsilon > 0));
      if ((n === 2 || n === 4) && bad >= 0)
        c.fail(['weights', n - 1, bad], 'moving variance + epsilon must be > 0');
      if (U !== inSize) c.fail(['shape'], `batchnorm shape says ${U}, but its input has ${inSize} channels`);
      return inSize;
    }
    case 'prelu': {
      const alpha = layer.weights[0][0];
      if (alpha.length !== inSize && alpha.length !== 1) {
        c.fail(
          ['weights', 0, 0],
          `prelu alpha has ${alpha.length} entries, expected ${inSize} (one per channel) or 1`,
        );
      }
      if (U !== inSize) c.fail(['shape'], `prelu shape says ${U}, but its input has ${inSize} channels`);
      return inSize;
    }
    case 'activation': {
      if (U !== inSize) {
        c.fail(
          ['shape'],
          `activation layer shape says ${U}, but the previous layer outputs ${inSize}; RTNeural sizes an activation layer from its own shape and would cut the vector`,
        );
      }
      return inSize;
    }
  }
}

/** Per-layer type check with a message for the types RTNeural would skip or that we cannot verify. */
function checkType(raw: unknown, prefix: PathPart[]): RtneuralValidationError | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { path: formatJsonPath(prefix), message: 'a layer must be an object' };
  }
  const type = (raw as { type?: unknown }).type;
  const path = formatJsonPath([...prefix, 'type']);
  if (typeof type !== 'string') return { path, message: 'required string key "type" is missing' };
  if ((RTNEURAL_LAYER_TYPES as readonly string[]).includes(type)) return undefined;
  if ((RTNEURAL_UNVERIFIED_TYPES as readonly string[]).includes(type)) {
    return { path, message: `layer type "${type}" is not supported here (no RTNeural test vectors for it)` };
  }
  return {
    path,
    message: `unknown layer type "${type}": RTNeural silently skips it, so the model would run without it; supported: ${RTNEURAL_LAYER_TYPES.join(', ')}`,
  };
}

function declaredSize(raw: unknown): number | undefined {
  const shape = (raw as { shape?: unknown }).shape;
  const last: unknown = Array.isArray(shape) ? shape[shape.length - 1] : undefined;
  return typeof last === 'number' && Number.isInteger(last) && last > 0 ? last : undefined;
}

/**
 * Validates an RTNeural model (parsed JSON) strictly.
 * @returns `{ ok, errors: [{ path, message }], model }`; `model` is the typed model when `ok`.
 */
export function validateRtneuralModel(json: unknown): RtneuralValidation {
  const top = rtneuralEnvelopeSchema.safeParse(json);
  if (!top.success) return { ok: false, errors: fromZod(top.error.issues, []) };
  const errors: RtneuralValidationError[] = [];
  if (top.data.in_shape.length === 4) {
    errors.push({ path: 'in_shape', message: '4-entry in_shape is a conv2d layout, which is not supported' });
  }
  let size = lastDim(top.data.in_shape);
  const layers: RtneuralLayer[] = [];
  top.data.layers.forEach((raw, i) => {
    const prefix: PathPart[] = ['layers', i];
    const typeError = checkType(raw, prefix);
    if (typeError) {
      errors.push(typeError);
      return;
    }
    const parsed = rtneuralLayerSchema.safeParse(raw);
    if (!parsed.success) {
      errors.push(...fromZod(parsed.error.issues, prefix));
      size = declaredSize(raw) ?? size; // keep checking later layers against the declared size
      return;
    }
    const checker = new SizeChecker(prefix);
    size = checkSizes(parsed.data, size, checker);
    errors.push(...checker.errors);
    layers.push(parsed.data);
  });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, errors: [], model: { in_shape: top.data.in_shape, layers } };
}

/** Thrown by `assertRtneuralModel` and the loader; `errors` lists every problem. */
export class RtneuralModelError extends Error {
  constructor(
    readonly errors: RtneuralValidationError[],
    source = 'RTNeural model',
  ) {
    super(
      `${source} is not a valid RTNeural model:\n${errors.map((e) => `  ${e.path}: ${e.message}`).join('\n')}`,
    );
    this.name = 'RtneuralModelError';
  }
}

/** Validates and returns the typed model, or throws `RtneuralModelError` naming `source` (e.g. a file). */
export function assertRtneuralModel(json: unknown, source?: string): RtneuralModel {
  const result = validateRtneuralModel(json);
  if (!result.ok || !result.model) throw new RtneuralModelError(result.errors, source);
  return result.model;
}
