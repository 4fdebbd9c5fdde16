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

function decode(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(decode);
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length === 1 && typeof obj.$nf === 'string') {
      return obj.$nf === 'NaN' ? NaN : obj.$nf === 'Infinity' ? Infinity : -Infinity;
    }
    if (keys.length === 1 && typeof obj.$date === 'string') return new Date(obj.$date);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) out[k] = decode(v);
    return out;
  }
  return value;
}

export const wireTransformer = { serialize: encode, deserialize: decode };
