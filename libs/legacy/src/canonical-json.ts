import { createHash } from 'node:crypto';
import type { NormalizedTrainRun } from './normalize-train-run';
import type { TrainRun } from './train-run-schema';

/**
 * Canonical JSON text of a value: object keys sorted, no whitespace, numbers as JavaScript prints them
 * (`0.0` and `0` are the same number), NaN/±Infinity as the bare tokens Python writes. Two documents that
 * differ only in whitespace, indentation, key order, BOM or line ends have the same canonical text.
 */
export function canonicalJson(value: unknown): string {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value).sort();
    const obj = value as Record<string, unknown>;
    return `{${keys
      .filter((k) => obj[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * What a run log means, hashed: sha256 of the canonical JSON of the run as read (today's field names,
 * coerced values, history, extra keys; not the import notes). A copy re-serialised with other whitespace,
 * indentation or key order, or re-saved with numbers as strings, has the same hash as its original.
 */
export function canonicalRunHash(
  run: TrainRun,
  read: Pick<NormalizedTrainRun, 'history' | 'extras'>,
): string {
  return createHash('sha256')
    .update(canonicalJson({ run, history: read.history, extras: read.extras }))
    .digest('hex');
}
