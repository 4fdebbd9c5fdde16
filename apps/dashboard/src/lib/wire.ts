/**
 * tRPC transformer for what plain JSON loses: NaN, +Infinity, -Infinity (metric values) and Date.
 * Non-finite numbers travel as `{ $nf: 'NaN' | 'Infinity' | '-Infinity' }`, dates as `{ $date: iso }`.
 * Plain objects and arrays are walked; everything else passes through unchanged.
 */
type NonFinite = 'NaN' | 'Infinity' | '-Infinity';

function encode(value: unknown): unknown {
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    return { $nf: (Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity') satisfies NonFinite };
  }
  if (value instanceof Date) return { $date: value.toISOString() };
  if (Array.isArray(value)) return value.map(encode);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = encode(v);
    return out;
  }
  return value;
}

/**
 * Deepest nesting decoded from the wire (recursion stays far from the stack limit): inputs are a few levels deep
 * and run configs a few dozen; deeper is hostile (a 1 MiB body can nest 500,000 levels).
 */
export const MAX_WIRE_DEPTH = 1000;

function decode(value: unknown, depth = 0): unknown {
  if (depth > MAX_WIRE_DEPTH) throw new TypeError(`input: nested deeper than ${MAX_WIRE_DEPTH} levels`);
  if (Array.isArray(value)) return value.map((v) => decode(v, depth + 1));
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length === 1 && typeof obj.$nf === 'string') {
      return obj.$nf === 'NaN' ? NaN : obj.$nf === 'Infinity' ? Infinity : -Infinity;
    }
    if (keys.length === 1 && typeof obj.$date === 'string') return new Date(obj.$date);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) out[k] = decode(v, depth + 1);
    return out;
  }
  return value;
}

export const wireTransformer = { serialize: encode, deserialize: (value: unknown) => decode(value) };
