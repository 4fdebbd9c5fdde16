import { canonicalJson } from './canonical-json';
import { readLegacyFile } from './read-legacy-file';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Leaves of a run's meaning as dotted keys (`run.config.learning_rate`) → canonical JSON text. */
function leaves(value: unknown, prefix: string, out: Map<string, string>): Map<string, string> {
  if (isObj(value)) for (const [k, v] of Object.entries(value)) leaves(v, prefix ? `${prefix}.${k}` : k, out);
  else out.set(prefix, canonicalJson(value));
  return out;
}

const shorten = (s: string) => (s.length > 40 ? `${s.slice(0, 37)}…` : s);

/**
 * The fields in which two readings of a run differ, e.g. `final_val_loss 0.41 (a.json) vs NaN (b.json)`;
 * at most `max` listed, then the count of the rest. Keys are today's TrainRun names (`run.` dropped).
 */
export function runDifferences(
  shown: Obj,
  other: Obj,
  names: { shown: string; other: string },
  max = 4,
): string {
  const a = leaves(shown, '', new Map());
  const b = leaves(other, '', new Map());
  const keys = [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k)).sort();
  const listed = keys.slice(0, max).map((k) => {
    const va = a.get(k) ?? 'absent';
    const vb = b.get(k) ?? 'absent';
    return `${k.replace(/^run\./, '')} ${shorten(vb)} here vs ${shorten(va)} in ${names.shown}`;
  });
  const rest = keys.length > max ? `, and ${keys.length - max} more field(s)` : '';
  return `${listed.join(', ')}${rest}`;
}

/** The meaning of the file a run shows, read again from its stored raw text (null if it no longer reads as a run). */
export function meaningOfStored(rawText: string | null, relPath: string): Obj | null {
  if (rawText === null) return null;
  const r = readLegacyFile(rawText, relPath);
  return r.outcome === 'run' ? r.meaning : null;
}
