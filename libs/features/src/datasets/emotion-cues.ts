import type { PianoNote } from '../synth/piano-sampler';
import { MODES, clampMidi, degreeToMidi, nearestDegree, walkDegrees, type ModeName } from '../synth/music';
import type { Rng } from '../synth/rng';

/** The EmotionRecognizer's classes, index = label. */
export const EMOTION_LABELS = ['happy', 'sad', 'angry', 'fear', 'surprise', 'disgust', 'neutral'] as const;
export type EmotionLabel = (typeof EMOTION_LABELS)[number];

/**
 * Musical cues per emotion (after Juslin & Laukka 2003; Gabrielsson & Lindström 2010): mode, tempo,
 * register, loudness, articulation, dissonance. Ranges are sampled uniformly per clip.
 */
export interface CueProfile {
  readonly modes: readonly ModeName[];
  /** Beats per minute. */
  readonly bpm: readonly [number, number];
  /** Melody centre, MIDI note. */
  readonly register: readonly [number, number];
  /** Velocity 0…1 (loudness). */
  readonly velocity: readonly [number, number];
  /** Chance per note of a sudden accent to velocity 1 (surprise's sforzandi). */
  readonly accentChance: number;
  /** Held fraction of the inter-onset interval: < 0.5 staccato, ≈ 1 legato. */
  readonly articulation: readonly [number, number];
  /** Note lengths in beats to draw from. */
  readonly rhythm: readonly number[];
  readonly leapChance: number;
  readonly maxLeap: number;
  /** Intervals (semitones above the melody note's chord root) stacked under the melody; [] = none. */
  readonly harmony: readonly number[];
  readonly harmonyChance: number;
  /** Timing jitter, ms (standard deviation): steady vs. unsteady. */
  readonly jitterMs: number;
}

export const EMOTION_CUES: Readonly<Record<EmotionLabel, CueProfile>> = {
  happy: {
    modes: ['ionian', 'lydian', 'majorPentatonic'],
    bpm: [120, 150],
    register: [64, 79],
    velocity: [0.6, 0.85],
    accentChance: 0.05,
    articulation: [0.45, 0.7],
    rhythm: [0.5, 0.5, 1],
    leapChance: 0.2,
    maxLeap: 4,
    harmony: [0, 4, 7],
    harmonyChance: 0.35,
    jitterMs: 4,
  },
  sad: {
    modes: ['aeolian', 'harmonicMinor', 'dorian'],
    bpm: [50, 68],
    register: [48, 62],
    velocity: [0.25, 0.45],
    accentChance: 0,
    articulation: [0.95, 1.1],
    rhythm: [1, 1.5, 2],
    leapChance: 0.05,
    maxLeap: 3,
    harmony: [0, 3, 7],
    harmonyChance: 0.4,
    jitterMs: 8,
  },
  angry: {
    modes: ['phrygian', 'locrian', 'chromatic'],
    bpm: [140, 170],
    register: [36, 52],
    velocity: [0.85, 1],
    accentChance: 0.2,
    articulation: [0.35, 0.55],
    rhythm: [0.25, 0.25, 0.5],
    leapChance: 0.25,
    maxLeap: 5,
    harmony: [0, 1, 6],
    harmonyChance: 0.5,
    jitterMs: 5,
  },
  fear: {
    modes: ['diminished', 'wholeTone', 'locrian'],
    bpm: [70, 110],
    register: [74, 90],
    velocity: [0.2, 0.45],
    accentChance: 0.08,
    articulation: [0.3, 0.5],
    rhythm: [0.25, 0.5, 0.75],
    leapChance: 0.15,
    maxLeap: 6,
    harmony: [0, 6],
    harmonyChance: 0.35,
    jitterMs: 30,
  },
  surprise: {
    modes: ['lydian', 'ionian', 'wholeTone'],
    bpm: [100, 130],
    register: [55, 84],
    velocity: [0.3, 0.6],
    accentChance: 0.3,
    articulation: [0.4, 0.8],
    rhythm: [0.5, 0.5, 1, 0.25],
    leapChance: 0.5,
    maxLeap: 9,
    harmony: [0, 4, 8],
    harmonyChance: 0.25,
    jitterMs: 10,
  },
  disgust: {
    modes: ['phrygian', 'harmonicMinor'],
    bpm: [60, 85],
    register: [40, 55],
    velocity: [0.5, 0.7],
    accentChance: 0.05,
    articulation: [0.85, 1.05],
    rhythm: [0.75, 1, 1.5],
    leapChance: 0.1,
    maxLeap: 4,
    harmony: [0, 1, 11],
    harmonyChance: 0.6,
    jitterMs: 15,
  },
  neutral: {
    modes: ['majorPentatonic', 'ionian'],
    bpm: [90, 105],
    register: [60, 72],
    velocity: [0.45, 0.55],
    accentChance: 0,
    articulation: [0.75, 0.85],
    rhythm: [1],
    leapChance: 0,
    maxLeap: 2,
    harmony: [0, 7],
    harmonyChance: 0.1,
    jitterMs: 0,
  },
};

/** Adjustments the emotion-node generator applies on top of a base profile. */
export interface CueModifiers {
  /** Melody centre (MIDI note) instead of a uniform draw from the profile's register. */
  readonly centre?: number;
  readonly bpmScale?: number;
  readonly velocityScale?: number;
  /** Held fraction of the inter-onset interval drawn from this range instead of the profile's. */
  readonly articulation?: readonly [number, number];
  readonly harmonyChanceAdd?: number;
}

/** A performance of `seconds` following `profile`: notes (with harmony) and the values drawn. */
export function performCues(
  rng: Rng,
  profile: CueProfile,
  seconds: number,
  mods: CueModifiers = {},
): { notes: PianoNote[]; meta: Record<string, string | number> } {
  const modeName = rng.pick(profile.modes);
  const mode = MODES[modeName]!;
  const bpm = rng.range(profile.bpm[0], profile.bpm[1]) * (mods.bpmScale ?? 1);
  const beat = 60 / bpm;
  const centre = mods.centre ?? rng.range(profile.register[0], profile.register[1]);
  const root = 48 + rng.int(0, 11);
  const vScale = mods.velocityScale ?? 1;
  const baseVel = rng.range(profile.velocity[0], profile.velocity[1]);
  const harmonyChance = Math.min(1, profile.harmonyChance + (mods.harmonyChanceAdd ?? 0));
  const articulation = mods.articulation ?? profile.articulation;
  const startDeg = nearestDegree(root, mode, centre);
  const degrees = walkDegrees(
    rng,
    startDeg,
    64,
    profile.leapChance,
    profile.maxLeap,
    startDeg - mode.length,
    startDeg + mode.length,
  );
  const notes: PianoNote[] = [];
  let t = rng.range(0, 0.15);
  for (let i = 0; t < seconds && i < degrees.length; i++) {
    const ioi = rng.pick(profile.rhythm) * beat;
    const start = Math.max(0, t + (profile.jitterMs * rng.normal()) / 1000);
    const art = rng.range(articulation[0], articulation[1]);
    const duration = Math.max(0.04, ioi * art);
    const accent = rng.chance(profile.accentChance);
    const velocity = Math.min(1, Math.max(0.08, (accent ? 1 : baseVel + 0.05 * rng.normal()) * vScale));
    const midi = clampMidi(degreeToMidi(root, mode, degrees[i]!));
    notes.push({ midi, start, duration, velocity });
    if (profile.harmony.length > 1 && rng.chance(harmonyChance)) {
      const chordRoot = midi - 12;
      for (const iv of profile.harmony)
        notes.push({ midi: clampMidi(chordRoot + iv), start, duration, velocity: velocity * 0.75 });
    }
    t += ioi;
  }
  return {
    notes,
    meta: { mode: modeName, bpm: Math.round(bpm * 10) / 10, centre: Math.round(centre), root },
  };
}
