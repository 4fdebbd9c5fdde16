// How the old tools wrote values that are not plain JSON numbers and booleans, and how they are read back.
// Each reader returns the value and, when it had to coerce, a short phrase for the import note.

/** A coerced value; `how` says what was written (for the import note), absent when nothing was coerced. */
export type Read<T> = { ok: true; value: T; how?: string } | { ok: false; absent: boolean; how: string };

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const NAN = /^[+-]?nan$/i;
const INF = /^([+-]?)(inf|infinity)$/i;

const shown = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : String(v));

/**
 * A number as the old tools wrote it: a JSON number (NaN/±Infinity included), a string from
 * `json.dump(..., default=str)` of a numpy value (`"0.0412"`, `"nan"`, `"inf"`, `"-inf"`, `"0"`), or `null`
 * (a JavaScript `JSON.stringify` re-save turns NaN/±Infinity into null): `null` is "not recorded", never 0.
 */
export function readNumber(v: unknown): Read<number> {
  if (typeof v === 'number') return { ok: true, value: v };
  if (v === null)
    return {
      ok: false,
      absent: true,
      how: 'null (not recorded; a JavaScript re-save writes NaN and ±Infinity as null)',
    };
  if (typeof v === 'string') {
    const t = v.trim();
    if (NUMBER.test(t)) return { ok: true, value: Number(t), how: `the string ${shown(v)}` };
    if (NAN.test(t)) return { ok: true, value: NaN, how: `the string ${shown(v)}` };
    const inf = INF.exec(t);
    if (inf) return { ok: true, value: inf[1] === '-' ? -Infinity : Infinity, how: `the string ${shown(v)}` };
  }
  if (typeof v === 'boolean') return { ok: true, value: v ? 1 : 0, how: `the boolean ${String(v)}` };
  return { ok: false, absent: false, how: `${shown(v)} is not a number` };
}

/** A boolean: JSON true/false, Python's `str(bool)` (`"True"`/`"False"`), `"true"`/`"false"`, 0/1 or `"0"`/`"1"`. */
export function readBoolean(v: unknown): Read<boolean> {
  if (typeof v === 'boolean') return { ok: true, value: v };
  if (v === null) return { ok: false, absent: true, how: 'null' };
  if (typeof v === 'string') {
    const t = v.trim().toLowerCase();
    if (t === 'true' || t === '1') return { ok: true, value: true, how: `the string ${shown(v)}` };
    if (t === 'false' || t === '0') return { ok: true, value: false, how: `the string ${shown(v)}` };
  }
  if (v === 0 || v === 1) return { ok: true, value: v === 1, how: `the number ${v}` };
  return { ok: false, absent: false, how: `${shown(v)} is not a boolean` };
}

/** A string; numbers and booleans (e.g. a numeric git commit) become their text, `null` is "not recorded". */
export function readString(v: unknown): Read<string> {
  if (typeof v === 'string') return { ok: true, value: v };
  if (v === null) return { ok: false, absent: true, how: 'null' };
  if (typeof v === 'number' || typeof v === 'boolean')
    return { ok: true, value: String(v), how: `the ${typeof v} ${String(v)}` };
  return { ok: false, absent: false, how: `${shown(JSON.stringify(v))} is not a string` };
}

/** An array of numbers; `null` elements (NaN/±Infinity after a JavaScript re-save) stay null ("not recorded"). */
export function readNumberArray(v: unknown): Read<(number | null)[]> {
  if (!Array.isArray(v)) return { ok: false, absent: v === null, how: 'not an array' };
  let coerced = 0;
  const out: (number | null)[] = [];
  for (const item of v) {
    if (item === null) {
      out.push(null);
      coerced++;
      continue;
    }
    const n = readNumber(item);
    if (!n.ok) return { ok: false, absent: false, how: `element ${shown(item)} is not a number` };
    if (n.how) coerced++;
    out.push(n.value);
  }
  return coerced
    ? { ok: true, value: out, how: `${coerced} element(s) written as strings or null` }
    : { ok: true, value: out };
}

/** `json.dumps`-like text of a value for notes (short). */
export function showValue(v: unknown): string {
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}
