import { grooveTimingFeatures } from '../targets/groove-features';
import type { MidiNote } from '../targets/midi-notes';
import type { Rng } from '../synth/rng';

/** Grid steps per groove clip: 2 bars of 4/4 in sixteenth notes. */
export const GROOVE_STEPS = 32;
/** Input features per step: [velocity 0…1 (0 = no hit), observed onset offset in units of 100 ms (0 = no hit)]. */
export const GROOVE_FEATURES = 2;

/**
 * One groove: tempo 70…120 BPM, a swing ratio r in 0.50…0.60 (the off-beat sixteenth of each pair lands at
 * 2r of the pair instead of halfway), a global push/pull p in −15…+15 ms and a backbeat lag b in 0…15 ms on
 * beats 2 and 4. The groove template (the target) is, for every step k = 0…31, in milliseconds:
 *   template[k] = p + (k odd ? (2r − 1)·sixteenth_ms : 0) + (k mod 8 = 4 ? b : 0).
 * The played drum pattern hits each step with probability 0.95 (beats), 0.8 (eighths), 0.5 (sixteenths);
 * each hit lands at grid + template[k] + N(0, σ²) ms with σ in 2…5 ms, clipped to ±3σ (human noise, not in the target).
 * These ranges keep every hit within half a sixteenth of its step, so the nearest-step assignment is exact.
 * The input is derived from those MIDI-like notes by `grooveTimingFeatures` (offset against the grid).
 */
export function planGroove(rng: Rng): {
  x: Float32Array;
  y: Float32Array;
  notes: MidiNote[];
  meta: Record<string, number>;
} {
  const bpm = rng.range(70, 120);
  const sixteenthMs = 60000 / bpm / 4;
  const swing = rng.range(0.5, 0.6);
  const push = rng.range(-15, 15);
  const backbeat = rng.range(0, 15);
  const sigma = rng.range(2, 5);
  const y = new Float32Array(GROOVE_STEPS);
  for (let k = 0; k < GROOVE_STEPS; k++) {
    y[k] = push + (k % 2 === 1 ? (2 * swing - 1) * sixteenthMs : 0) + (k % 8 === 4 ? backbeat : 0);
  }
  const origin = 0.2; // seconds before step 0, so early hits stay ≥ 0
  const notes: MidiNote[] = [];
  for (let k = 0; k < GROOVE_STEPS; k++) {
    const p = k % 4 === 0 ? 0.95 : k % 2 === 0 ? 0.8 : 0.5;
    if (!rng.chance(p)) continue;
    const drum = k % 8 === 4 ? 38 : k % 4 === 0 ? 36 : 42; // snare on 2 and 4, kick on beats, hats between
    const velocity = Math.min(
      1,
      Math.max(0.1, (k % 4 === 0 ? 0.85 : k % 2 === 0 ? 0.65 : 0.45) + 0.08 * rng.normal()),
    );
    const start = origin + (k * sixteenthMs + y[k]! + sigma * Math.max(-3, Math.min(3, rng.normal()))) / 1000;
    notes.push({ midi: drum, start, duration: (0.6 * sixteenthMs) / 1000, velocity });
  }
  const x = new Float32Array(GROOVE_STEPS * GROOVE_FEATURES);
  for (const f of grooveTimingFeatures(notes, { bpm, stepsPerBeat: 4, origin })) {
    if (f.step < 0 || f.step >= GROOVE_STEPS) continue;
    x[f.step * 2] = Math.max(x[f.step * 2]!, f.velocity);
    x[f.step * 2 + 1] = f.offsetMs / 100;
  }
  const r = (v: number): number => Math.round(v * 1000) / 1000;
  return {
    x,
    y,
    notes,
    meta: {
      bpm: r(bpm),
      swing: r(swing),
      pushMs: r(push),
      backbeatMs: r(backbeat),
      sigmaMs: r(sigma),
      hits: notes.length,
    },
  };
}
