import type { MidiNote } from './midi-notes';

/** Timing of one played note against a metrical grid. */
export interface GrooveNoteFeature {
  readonly midi: number;
  readonly start: number;
  /** Seconds the note is held. */
  readonly duration: number;
  /** Seconds since the previous onset (0 for the first note). */
  readonly ioi: number;
  /** Nearest grid step (0-based from `origin`), step = one 1/stepsPerBeat of a beat. */
  readonly step: number;
  /** Milliseconds from that grid step to the onset; positive = late (laid back), negative = early (pushed). */
  readonly offsetMs: number;
  readonly velocity: number;
}

export interface GridOptions {
  readonly bpm: number;
  /** Grid steps per beat; 4 = sixteenth notes (default). */
  readonly stepsPerBeat?: number;
  /** Seconds of step 0. Default 0. */
  readonly origin?: number;
}

/** Per-note duration, inter-onset interval and offset against the grid, notes in onset order. */
export function grooveTimingFeatures(notes: readonly MidiNote[], grid: GridOptions): GrooveNoteFeature[] {
  if (!(grid.bpm > 0)) throw new Error(`grooveTimingFeatures: bpm must be > 0 (got ${grid.bpm})`);
  const stepS = 60 / grid.bpm / (grid.stepsPerBeat ?? 4);
  const origin = grid.origin ?? 0;
  const sorted = [...notes].sort((a, b) => a.start - b.start);
  return sorted.map((n, i) => {
    const pos = (n.start - origin) / stepS;
    const step = Math.round(pos);
    return {
      midi: n.midi,
      start: n.start,
      duration: n.duration,
      ioi: i === 0 ? 0 : n.start - sorted[i - 1]!.start,
      step,
      offsetMs: (pos - step) * stepS * 1000,
      velocity: n.velocity,
    };
  });
}
