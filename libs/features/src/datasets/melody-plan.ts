import type { PianoNote } from '../synth/piano-sampler';
import { MODES, clampMidi, degreeToMidi, nearestDegree, walkDegrees } from '../synth/music';
import type { Rng } from '../synth/rng';

export const MELODY_MODES = [
  'ionian',
  'dorian',
  'phrygian',
  'lydian',
  'mixolydian',
  'aeolian',
  'harmonicMinor',
  'majorPentatonic',
  'minorPentatonic',
] as const;

/** Chord progressions as scale degrees (0 = tonic), one chord per 2 beats. */
const PROGRESSIONS = [
  [0, 3, 4, 0],
  [0, 5, 3, 4],
  [1, 4, 0, 0],
  [0, 4, 5, 3],
];

/**
 * One lo-fi melody: `bpm` ± 6 %, swung eighths (off-beat eighth at 0.50…0.62 of the beat), a scale/mode on a
 * random root, a register centred between A3 and E5, varied velocity with beat accents, and with probability
 * 0.4 a chord track (triads from the same scale) an octave and more below.
 */
export function planMelody(
  rng: Rng,
  seconds: number,
  bpm: number,
): { notes: PianoNote[]; meta: Record<string, string | number | boolean> } {
  const modeName = rng.pick(MELODY_MODES);
  const mode = MODES[modeName]!;
  const tempo = bpm * rng.range(0.94, 1.06);
  const beat = 60 / tempo;
  const swing = rng.range(0.5, 0.62);
  const root = 48 + rng.int(0, 11);
  const centre = rng.int(57, 76);
  const baseVel = rng.range(0.45, 0.85);
  const legato = rng.range(0.7, 0.95);
  const toSeconds = (beats: number): number => {
    const whole = Math.floor(beats);
    const frac = beats - whole;
    return (whole + (Math.abs(frac - 0.5) < 1e-9 ? swing : frac)) * beat;
  };
  const startDeg = nearestDegree(root, mode, centre);
  const degrees = walkDegrees(rng, startDeg, 64, 0.15, 4, startDeg - mode.length, startDeg + mode.length);
  const lead = rng.range(0, Math.min(0.25, seconds / 4)); // the first note always sounds inside the clip
  const notes: PianoNote[] = [];
  let pos = 0;
  for (let i = 0; i < degrees.length && toSeconds(pos) + lead < seconds; i++) {
    const len = rng.pick([0.5, 0.5, 1, 1, 1.5, 2]);
    if (i === 0 || !rng.chance(0.1)) {
      const start = lead + toSeconds(pos);
      const end = lead + toSeconds(pos + len);
      const accent = Math.abs(pos % 1) < 1e-9 ? 0.08 : 0;
      const velocity = Math.min(1, Math.max(0.15, baseVel + accent + 0.07 * rng.normal()));
      notes.push({
        midi: clampMidi(degreeToMidi(root, mode, degrees[i]!)),
        start,
        duration: (end - start) * legato,
        velocity,
      });
    }
    pos += len;
  }
  const withChords = mode.length === 7 && rng.chance(0.4);
  if (withChords) {
    const prog = rng.pick(PROGRESSIONS);
    const chordBase = nearestDegree(root, mode, centre - rng.int(12, 19));
    for (let c = 0; lead + c * 2 * beat < seconds; c++) {
      const deg = chordBase + prog[c % prog.length]!;
      for (const k of [0, 2, 4]) {
        notes.push({
          midi: clampMidi(degreeToMidi(root, mode, deg + k)),
          start: lead + c * 2 * beat,
          duration: 2 * beat * 0.95,
          velocity: baseVel * 0.6,
        });
      }
    }
  }
  notes.sort((a, b) => a.start - b.start || a.midi - b.midi);
  return {
    notes,
    meta: {
      mode: modeName,
      root,
      bpm: Math.round(tempo * 10) / 10,
      swing: Math.round(swing * 1000) / 1000,
      chords: withChords,
    },
  };
}
