import { FEATURE_SPEC, midiToPianoRoll } from '@kelly/features';
import { describe, expect, it } from 'vitest';
import { gridDecodings, scoreDecoding, SWEEP_GRID } from '../bench/note-decoding-sweep';

const T = 100;
const notes = [
  { midi: 60, start: 0.2, duration: 0.5, velocity: 0.8 },
  { midi: 67, start: 0.9, duration: 0.4, velocity: 0.8 },
];
const dt = FEATURE_SPEC.hop / FEATURE_SPEC.sampleRate;
const ref = [notes.map((n) => ({ pitch: n.midi, onset: n.start, offset: n.start + n.duration }))];
const target = midiToPianoRoll(notes, { frames: T }).roll;

describe('note-decoding-sweep', () => {
  it('scores a perfect posteriorgram 1 on all three measures', () => {
    const s = scoreDecoding(target, T, ref, target, {
      onsetThreshold: 0.8,
      frameThreshold: 0.2,
      minFrames: 2,
      reonsetDelta: 0,
    });
    expect([s.frame_f1, s.note_onset_f1, s.note_offset_f1, s.notes_per_reference]).toEqual([1, 1, 1, 1]);
  });

  it('a 2-frame blip at p 0.85 is a false note at onset 0.8 with minimum 1, and gone at onset 0.9 or minimum 3', () => {
    const pred = Float32Array.from(target);
    const blip = Math.round(1.4 / dt);
    for (const t of [blip, blip + 1]) pred[t * 128 + 72] = 0.85;
    const score = (onsetThreshold: number, minFrames: number) =>
      scoreDecoding(pred, T, ref, target, {
        onsetThreshold,
        frameThreshold: 0.2,
        minFrames,
        reonsetDelta: 0,
      });
    expect(score(0.8, 1).notes_per_reference).toBe(1.5);
    expect(score(0.8, 1).note_onset_f1).toBeCloseTo(0.8, 6);
    expect(score(0.9, 1).note_onset_f1).toBe(1);
    expect(score(0.8, 3).note_onset_f1).toBe(1);
  });

  it('sweeps every grid point whose low threshold is not above its high one', () => {
    const all = [...gridDecodings()];
    expect(all.every((d) => d.frameThreshold <= d.onsetThreshold)).toBe(true);
    const full =
      SWEEP_GRID.onsetThreshold.length *
      SWEEP_GRID.frameThreshold.length *
      SWEEP_GRID.minFrames.length *
      SWEEP_GRID.reonsetDelta.length;
    expect(all.length).toBe(full); // every pair qualifies on today's grid (frame ≤ 0.4 < onset ≥ 0.5)
    expect(new Set(all.map((d) => JSON.stringify(d))).size).toBe(all.length);
  });
});
