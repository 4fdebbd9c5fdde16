/**
 * A light, structural read of an RTNeural model JSON: sizes and parameter count for the registry entry.
 * This is NOT the strict validator (that lives in @kelly/models and is injected into promotion, see gates.ts);
 * it only reads what the registry needs and throws a clear error when even that is missing.
 */
export interface RtneuralSummary {
  /** `in_shape[-1]`: numbers per input frame. */
  inputSize: number;
  /** The last layer's `shape[-1]`: numbers per output frame. */
  outputSize: number;
  /** e.g. `64→lstm256→lstm256→lstm256→dense128`. */
  archHint: string;
  /** Count of every number in every layer's `weights`. */
  params: number;
  layerTypes: string[];
}

function lastInt(shape: unknown, what: string): number {
  if (!Array.isArray(shape) || shape.length === 0) throw new Error(`${what} is not a non-empty array`);
  const last: unknown = shape[shape.length - 1];
  if (typeof last !== 'number' || !Number.isInteger(last) || last < 1) {
    throw new Error(`${what}: last entry must be a positive integer, got ${JSON.stringify(last)}`);
  }
  return last;
}

function countNumbers(value: unknown): number {
  if (typeof value === 'number') return 1;
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + countNumbers(v), 0);
  return 0;
}

export function summarizeRtneural(model: unknown): RtneuralSummary {
  if (model === null || typeof model !== 'object' || Array.isArray(model))
    throw new Error('RTNeural model is not a JSON object');
  const m = model as Record<string, unknown>;
  const inputSize = lastInt(m.in_shape, 'in_shape');
  if (!Array.isArray(m.layers) || m.layers.length === 0) throw new Error('layers is not a non-empty array');
  const layerTypes: string[] = [];
  const arch: string[] = [String(inputSize)];
  let params = 0;
  let outputSize = inputSize;
  m.layers.forEach((layer: unknown, i) => {
    if (layer === null || typeof layer !== 'object') throw new Error(`layers[${i}] is not an object`);
    const l = layer as Record<string, unknown>;
    const type = typeof l.type === 'string' ? l.type : '?';
    outputSize = lastInt(l.shape, `layers[${i}].shape`);
    layerTypes.push(type);
    if (type !== 'activation')
      arch.push(`${type === 'time-distributed-dense' ? 'dense' : type}${outputSize}`);
    params += countNumbers(l.weights);
  });
  return { inputSize, outputSize, archHint: arch.join('→'), params, layerTypes };
}

/** `~1.4M`, `~25K`, `~800`: the registry's `params_estimate` style. */
export function formatParams(n: number): string {
  if (n >= 1e6) return `~${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `~${Math.round(n / 1e3)}K`;
  return `~${n}`;
}
