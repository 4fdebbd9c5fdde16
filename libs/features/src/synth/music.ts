import type { Rng } from './rng';

/** Scale modes as semitone offsets from the root. */
export const MODES: Readonly<Record<string, readonly number[]>> = {
  ionian: [0, 2, 4, 5, 7, 9, 11],
  dorian: [0, 2, 3, 5, 7, 9, 10],
  phrygian: [0, 1, 3, 5, 7, 8, 10],
  lydian: [0, 2, 4, 6, 7, 9, 11],
  mixolydian: [0, 2, 4, 5, 7, 9, 10],
  aeolian: [0, 2, 3, 5, 7, 8, 10],
  locrian: [0, 1, 3, 5, 6, 8, 10],
  harmonicMinor: [0, 2, 3, 5, 7, 8, 11],
  majorPentatonic: [0, 2, 4, 7, 9],
  minorPentatonic: [0, 3, 5, 7, 10],
  wholeTone: [0, 2, 4, 6, 8, 10],
  diminished: [0, 2, 3, 5, 6, 8, 9, 11],
  chromatic: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
};

export type ModeName = keyof typeof MODES;

/** MIDI note of scale degree `degree` (any integer, wraps octaves) in `mode` rooted at MIDI `root`. */
export function degreeToMidi(root: number, mode: readonly number[], degree: number): number {
  const n = mode.length;
  const octave = Math.floor(degree / n);
  const idx = ((degree % n) + n) % n;
  return root + 12 * octave + mode[idx]!;
}

/** The scale degree whose pitch is closest to `midi` (for centring a melody in a register). */
export function nearestDegree(root: number, mode: readonly number[], midi: number): number {
  let best = 0;
  let bestDist = Infinity;
  for (let d = -40; d <= 40; d++) {
    const dist = Math.abs(degreeToMidi(root, mode, d) - midi);
    if (dist < bestDist) {
      bestDist = dist;
      best = d;
    }
  }
  return best;
}

/** A melodic random walk over scale degrees: mostly steps, sometimes leaps of `maxLeap` degrees. */
export function walkDegrees(
  rng: Rng,
  start: number,
  count: number,
  leapChance: number,
  maxLeap: number,
  lo: number,
  hi: number,
): number[] {
  const out: number[] = [];
  let d = start;
  for (let i = 0; i < count; i++) {
    out.push(d);
    const step = rng.chance(leapChance)
      ? rng.int(2, maxLeap) * (rng.chance(0.5) ? 1 : -1)
      : rng.pick([-2, -1, -1, 1, 1, 2, 0]);
    d += step;
    if (d < lo) d = lo + (lo - d);
    if (d > hi) d = hi - (d - hi);
  }
  return out;
}

export const clampMidi = (m: number): number => Math.min(108, Math.max(21, Math.round(m)));
