import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { midiToPianoRoll } from '@kelly/features';
import {
  decodeNotes,
  framesToSeconds,
  notesToRoll,
  parseNoteDecoding,
  rollNotes,
  type NoteDecoding,
} from './note-decoding';

/** One pitch's probabilities as a [frames][1] buffer. */
const track = (...p: number[]) => Float32Array.from(p);
const params = (o: Partial<NoteDecoding> = {}): NoteDecoding => ({
  onsetThreshold: 0.5,
  frameThreshold: 0.3,
  minFrames: 1,
  reonsetDelta: 0,
  ...o,
});

describe('decodeNotes', () => {
  it('keeps a run above the low threshold that reaches the high one, dated from where the run began (hysteresis)', () => {
    const p = track(0.2, 0.45, 0.6, 0.4, 0.31, 0.29, 0.4, 0.2);
    expect(decodeNotes(p, 8, 1, params())).toEqual([{ pitch: 0, onFrame: 1, offFrame: 5 }]);
    // a climb broken by a frame below the low threshold starts again after it
    expect(decodeNotes(track(0.4, 0.2, 0.35, 0.4, 0.7, 0.7), 6, 1, params())).toEqual([
      { pitch: 0, onFrame: 2, offFrame: 6 },
    ]);
    // 0.4 after the note ended is above the low threshold but never reaches the high one: no new note
    expect(decodeNotes(track(0.45, 0.45, 0.45), 3, 1, params())).toEqual([]);
  });

  it('drops notes shorter than minFrames and closes a note still held at the end of the clip', () => {
    const p = track(0.9, 0.1, 0.9, 0.9, 0.1, 0.9, 0.9, 0.9);
    expect(decodeNotes(p, 8, 1, params({ minFrames: 2 }))).toEqual([
      { pitch: 0, onFrame: 2, offFrame: 4 },
      { pitch: 0, onFrame: 5, offFrame: 8 },
    ]);
    expect(decodeNotes(p, 8, 1, params({ minFrames: 1 }))).toHaveLength(3);
  });

  it('re-onsets a held note when the probability dips and rises again by reonsetDelta', () => {
    const p = track(0.9, 0.9, 0.55, 0.95, 0.9, 0.1);
    expect(decodeNotes(p, 6, 1, params({ reonsetDelta: 0.3 }))).toEqual([
      { pitch: 0, onFrame: 0, offFrame: 3 },
      { pitch: 0, onFrame: 3, offFrame: 5 },
    ]);
    // a dip smaller than the delta, or re-onset disabled: one note
    expect(decodeNotes(p, 6, 1, params({ reonsetDelta: 0.45 }))).toHaveLength(1);
    expect(decodeNotes(p, 6, 1, params({ reonsetDelta: 0 }))).toHaveLength(1);
  });

  it('does not re-onset on a probability that only rises after the onset', () => {
    const p = track(0.5, 0.6, 0.75, 0.9, 0.99);
    expect(decodeNotes(p, 5, 1, params({ reonsetDelta: 0.2 }))).toEqual([
      { pitch: 0, onFrame: 0, offFrame: 5 },
    ]);
  });

  it('decodes every pitch of a [frames][pitches] clip at an offset into a batch buffer, sorted by onset', () => {
    const frames = 4;
    const pitches = 3;
    const batch = new Float32Array(2 * frames * pitches);
    const second = frames * pitches;
    for (const t of [1, 2, 3]) batch[second + t * pitches + 2] = 0.8; // clip 1, pitch 2, frames 1–3
    for (const t of [0, 1]) batch[second + t * pitches + 0] = 0.7; // clip 1, pitch 0, frames 0–1
    batch[0] = 0.9; // clip 0 must not leak in
    expect(decodeNotes(batch, frames, pitches, params(), second)).toEqual([
      { pitch: 0, onFrame: 0, offFrame: 2 },
      { pitch: 2, onFrame: 1, offFrame: 4 },
    ]);
  });

  it('rollNotes takes every run of a binary roll, even one frame long', () => {
    expect(rollNotes(track(1, 1, 0, 1, 0, 0, 1), 7, 1)).toEqual([
      { pitch: 0, onFrame: 0, offFrame: 2 },
      { pitch: 0, onFrame: 3, offFrame: 4 },
      { pitch: 0, onFrame: 6, offFrame: 7 },
    ]);
  });
});

describe('parseNoteDecoding', () => {
  it('names the bad field, and refuses a low threshold above the high one', () => {
    expect(() => parseNoteDecoding({ ...params(), minFrames: 0 }, 'run config')).toThrow(
      /run config: minFrames/,
    );
    expect(() => parseNoteDecoding({ ...params(), onsetThreshold: 1.5 })).toThrow(/onsetThreshold/);
    expect(() => parseNoteDecoding(params({ onsetThreshold: 0.3, frameThreshold: 0.5 }))).toThrow(
      /frameThreshold 0.5 > onsetThreshold 0.3/,
    );
    expect(parseNoteDecoding(params())).toEqual(params());
  });
});

describe('frames ↔ seconds', () => {
  it('places a run [a, b) at the midpoints (a − ½)·dt and (b − ½)·dt', () => {
    expect(framesToSeconds([{ pitch: 60, onFrame: 10, offFrame: 20 }], 0.016)).toEqual([
      { pitch: 60, onset: 9.5 * 0.016, offset: 19.5 * 0.016 },
    ]);
    expect(framesToSeconds([{ pitch: 1, onFrame: 0, offFrame: 1 }], 0.016)[0]?.onset).toBe(0);
  });

  it('notesToRoll follows the piano-roll target rule (same roll as midiToPianoRoll)', () => {
    const note = fc.record({
      pitch: fc.integer({ min: 0, max: 127 }),
      onset: fc.double({ min: 0, max: 1.5, noNaN: true }),
      length: fc.double({ min: 0.001, max: 1, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.array(note, { maxLength: 12 }), (ns) => {
        const frames = 100;
        const timed = ns.map((n) => ({ pitch: n.pitch, onset: n.onset, offset: n.onset + n.length }));
        const target = midiToPianoRoll(
          ns.map((n) => ({ midi: n.pitch, start: n.onset, duration: n.length, velocity: 0.5 })),
          { frames },
        ).roll;
        expect(notesToRoll(timed, frames, 256 / 16000)).toEqual(target);
      }),
      { numRuns: 25 },
    );
  });

  it('decoding a rendered roll gives back the notes to within half a frame', () => {
    const dt = 0.016;
    const notes = [
      { pitch: 60, onset: 0.1, offset: 0.5 },
      { pitch: 64, onset: 0.3, offset: 0.9 },
    ];
    const back = framesToSeconds(rollNotes(notesToRoll(notes, 80, dt), 80, 128), dt);
    expect(back).toHaveLength(2);
    back.forEach((b, i) => {
      expect(b.pitch).toBe(notes[i]!.pitch);
      expect(Math.abs(b.onset - notes[i]!.onset)).toBeLessThanOrEqual(dt / 2 + 1e-9);
      expect(Math.abs(b.offset - notes[i]!.offset)).toBeLessThanOrEqual(dt / 2 + 1e-9);
    });
  });
});
