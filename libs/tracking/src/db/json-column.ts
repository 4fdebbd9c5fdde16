import { customType } from 'drizzle-orm/sqlite-core';

/**
 * A JSON text column that keeps NaN, +Infinity and -Infinity faithfully (plain JSON.stringify turns them into
 * null). Non-finite numbers are written as `{"$nonFinite":"NaN"|"Infinity"|"-Infinity"}` and revived as numbers.
 */
export const NON_FINITE_TAG = '$nonFinite';

export function encodeJson(value: unknown): string {
  // Fast path: plain JSON.stringify writes a non-finite number as `null`, so text without any `null` has none
  // (the replacer below costs ~3× on the import path; only texts with a null take it).
  const plain = JSON.stringify(value);
  if (plain === undefined || !plain.includes('null')) return plain;
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'number' && !Number.isFinite(v) ? { [NON_FINITE_TAG]: String(v) } : v,
  );
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
