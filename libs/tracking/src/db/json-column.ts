import { customType } from 'drizzle-orm/sqlite-core';

/**
 * A JSON text column that keeps NaN, +Infinity and -Infinity faithfully (plain JSON.stringify turns them into
 * null). Non-finite numbers are written as `{"$nonFinite":"NaN"|"Infinity"|"-Infinity"}` and revived as numbers.
 */
export const NON_FINITE_TAG = '$nonFinite';

export function encodeJson(value: unknown): string {
  // Fast path: plain JSON.stringify writes a non-finite number as `null`, so text without any `null`, or a value
  // holding no non-finite number (a walk without allocation), is already right (the replacer below costs ~3× on
  // the import path; only values with a non-finite number take it).
  const plain = JSON.stringify(value);
  if (plain === undefined || !plain.includes('null') || !hasNonFinite(value)) return plain;
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'number' && !Number.isFinite(v) ? { [NON_FINITE_TAG]: String(v) } : v,
  );
}

/** True when `value` holds a non-finite number anywhere (what JSON.stringify would write as null). */
function hasNonFinite(value: unknown): boolean {
  if (typeof value === 'number') return !Number.isFinite(value);
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) {
    for (const v of value) if (hasNonFinite(v)) return true;
    return false;
  }
  // what JSON.stringify writes of an object (toJSON first, e.g. a Date)
  const o = value as Record<string, unknown> & { toJSON?: () => unknown };
  if (typeof o.toJSON === 'function') return hasNonFinite(o.toJSON());
  for (const k in o) if (Object.prototype.hasOwnProperty.call(o, k) && hasNonFinite(o[k])) return true;
  return false;
}

export function decodeJson(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const keys = Object.keys(v);
      const tag = (v as Record<string, unknown>)[NON_FINITE_TAG];
      if (keys.length === 1 && typeof tag === 'string') return Number(tag);
    }
    return v;
  });
}

/**
 * `json('column').$type<T>()`: a TEXT column holding T as JSON with non-finite numbers preserved. The column
 * name stays a literal type, so raw row types derived from the schema (rows.ts) name it exactly.
 */
export const json = <N extends string>(name: N) =>
  customType<{ data: unknown; driverData: string }>({
    dataType: () => 'text',
    toDriver: (value) => encodeJson(value),
    fromDriver: (value) => decodeJson(value),
  })(name);
