/** How media items (run.logMedia) are arranged for display. */

export interface MediaItem {
  id: number;
  runId: string;
  key: string;
  step: number;
  epoch: number | null;
  mime: string;
  caption: string | null;
  bytes: number;
  path: string;
  meta: Record<string, unknown>;
}

/** URL of the file through the artifact route. */
export const mediaUrl = (m: Pick<MediaItem, 'path'>): string =>
  `/api/artifacts/${m.path.split('/').map(encodeURIComponent).join('/')}`;

/** `clip/<id>/<what>` → { clip, what }; other keys → { clip: null, what: key }. */
export function splitKey(key: string): { clip: string | null; what: string } {
  const m = /^clip\/([^/]+)\/(.+)$/.exec(key);
  return m ? { clip: m[1]!, what: m[2]! } : { clip: null, what: key };
}

/** Steps that have media other than the inputs logged once at step 0, ascending. */
export function mediaSteps(items: readonly MediaItem[]): number[] {
  const steps = new Set(items.filter((m) => !isInput(m.key)).map((m) => m.step));
  return [...steps].sort((a, b) => a - b);
}

/** Inputs (the clip's audio and log-mel) do not change with training. */
export const isInput = (key: string): boolean => /\/(input-audio|log-mel)$/.test(key);

/** The item of `key` at `step`: the latest logged at or before it, else the first after it. */
export function itemAt(items: readonly MediaItem[], key: string, step: number): MediaItem | undefined {
  const of = items.filter((m) => m.key === key).sort((a, b) => a.step - b.step);
  return [...of].reverse().find((m) => m.step <= step) ?? of[0];
}

/**
 * Keys grouped by clip (clip id → keys), clips in first-seen order; keys without a clip (whole-set images such
 * as confusion matrices) under `null`, first.
 */
export function keysByClip(items: readonly MediaItem[]): Map<string | null, string[]> {
  const out = new Map<string | null, string[]>();
  if (items.some((m) => splitKey(m.key).clip === null)) out.set(null, []);
  for (const m of items) {
    const { clip } = splitKey(m.key);
    const keys = out.get(clip) ?? [];
    if (!keys.includes(m.key)) keys.push(m.key);
    out.set(clip, keys);
  }
  const order = ['input-audio', 'predicted-audio', 'log-mel', 'piano-roll', 'timing'];
  const rank = (k: string) => {
    const i = order.indexOf(splitKey(k).what);
    return i < 0 ? order.length : i;
  };
  for (const keys of out.values()) keys.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return out;
}
