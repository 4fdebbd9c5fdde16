/**
 * Metric values in the store: SQLite turns NaN into NULL, so each point carries a flag.
 * flag 0: finite, `value` holds it; 1: NaN; 2: +Infinity; 3: -Infinity (value NULL for 1..3).
 */
export const FLAG_FINITE = 0;
export const FLAG_NAN = 1;
export const FLAG_POS_INF = 2;
export const FLAG_NEG_INF = 3;

export function flagOf(v: number): number {
  if (Number.isFinite(v)) return FLAG_FINITE;
  if (Number.isNaN(v)) return FLAG_NAN;
  return v > 0 ? FLAG_POS_INF : FLAG_NEG_INF;
}

export function decodeValue(value: number | null, flag: number): number {
  switch (flag) {
    case FLAG_FINITE:
      return value ?? Number.NaN;
    case FLAG_POS_INF:
      return Number.POSITIVE_INFINITY;
    case FLAG_NEG_INF:
      return Number.NEGATIVE_INFINITY;
    default:
      return Number.NaN;
  }
}

/** Non-finite numbers as the strings "NaN", "Infinity", "-Infinity" (for JSON output); finite unchanged. */
export function jsonNumber(v: number): number | string {
  return Number.isFinite(v) ? v : String(v);
}

/** Deep copy of `value` with every non-finite number replaced by its string; for `--json` output and tRPC. */
export function toJsonSafe(value: unknown): unknown {
  if (typeof value === 'number') return jsonNumber(value);
  if (Array.isArray(value)) return value.map(toJsonSafe);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toJsonSafe(v);
    return out;
  }
  return value;
}
