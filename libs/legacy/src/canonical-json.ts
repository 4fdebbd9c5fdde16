import { createHash } from 'node:crypto';
import type { NormalizedTrainRun } from './normalize-train-run';
import type { TrainRun } from './train-run-schema';

/**
 * Canonical JSON text of a value: object keys sorted, no whitespace, numbers as JavaScript prints them
 * (`0.0` and `0` are the same number), NaN/±Infinity as the bare tokens Python writes. Two documents that
 * differ only in whitespace, indentation, key order, BOM or line ends have the same canonical text.
 */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  write(value, out);
  return out.join('');
}

// one pass appending to `out` (the hash of every imported file goes through here: no intermediate strings)
function write(v: unknown, out: string[]): void {
  if (typeof v === 'number') {
    out.push(
      v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : Number.isNaN(v) ? 'NaN' : String(v),
    );
  } else if (typeof v === 'string') out.push(JSON.stringify(v));
  else if (Array.isArray(v)) {
    out.push('[');
    for (let i = 0; i < v.length; i++) {
      if (i) out.push(',');
      write(v[i], out);
    }
    out.push(']');
  } else if (typeof v === 'object' && v !== null) {
    const obj = v as Record<string, unknown>;
    const keys = Object.keys(obj).sort();
    out.push('{');
    let first = true;
    for (const k of keys) {
      const x = obj[k];
      if (x === undefined) continue;
      if (!first) out.push(',');
      first = false;
      out.push(JSON.stringify(k), ':');
      write(x, out);
    }
    out.push('}');
  } else out.push(v === undefined ? 'null' : JSON.stringify(v));
}

/**
 * What a run log means, hashed: sha256 of the canonical JSON of the run as read (today's field names, coerced
 * values, history, extra keys; not the import notes). A copy re-serialised with other whitespace, indentation or
 * key order, or re-saved with numbers as strings, has the same hash as its original. The importer computes it only
 * when two files claim the same run id (duplicate or conflict).
 */
export function canonicalRunHash(
  run: TrainRun,
  read: Pick<NormalizedTrainRun, 'history' | 'extras'>,
): string {
  return meaningHash({ run, history: read.history, extras: read.extras });
}

/** sha256 (hex) of `canonicalJson(meaning)`. */
export function meaningHash(meaning: unknown): string {
  return createHash('sha256').update(canonicalJson(meaning)).digest('hex');
}
