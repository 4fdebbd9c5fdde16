import { decodeNotes, framesToSeconds } from '@kelly/models';
import { describe, expect, it } from 'vitest';
import { confusionImage, confusionMatrix, pianoRollImage, ROLL_COLOURS } from './media-images';
import { hex } from './raster';
import { rollToNotes } from './roll-notes';
import { mediaClips, mediaEpochs } from './training-media';

const pixel = (r: { width: number; rgba: Uint8Array }, x: number, y: number) => [
  ...r.rgba.subarray((y * r.width + x) * 4, (y * r.width + x) * 4 + 3),
];

describe('trainer media images', () => {
  it('piano roll: a hit, a miss and a false note get their own colours at their frame and pitch', () => {
    const frames = 10;
    const target = new Float32Array(frames * 128);
    const pred = new Float32Array(frames * 128);
    target[2 * 128 + 60] = 1; // hit
    pred[2 * 128 + 60] = 0.9;
    target[5 * 128 + 64] = 1; // miss (pred 0.4 < 0.5)
    pred[5 * 128 + 64] = 0.4;
    pred[7 * 128 + 67] = 0.6; // false note
    const r = pianoRollImage(target, pred, frames);
    const cw = r.width / frames;
    const rows = r.height / 6;
    // pitches in use 60…67, ±3 → 57…70, widened one each side until two octaves: 51…76 (top row = 76)
    expect(rows).toBe(26);
    const top = 76;
    const at = (t: number, p: number) => pixel(r, t * cw + 1, (top - p) * 6 + 3);
    expect(at(2, 60)).toEqual([...hex(ROLL_COLOURS.hit)]);
    expect(at(5, 64)).toEqual([...hex(ROLL_COLOURS.miss)]);
    expect(at(7, 67)).toEqual([...hex(ROLL_COLOURS.falseNote)]);
    expect(at(0, 62)).toEqual([250, 250, 250]);
  });

  it("roll to notes: the run's note decoding (hysteresis, onset from the rise, minimum length), piano range only", () => {
    const decoding = { onsetThreshold: 0.8, frameThreshold: 0.2, minFrames: 2, reonsetDelta: 0 };
    const roll = new Float32Array(10 * 128);
    // MIDI 60 rises from frame 1, confirmed at frame 3, held through a dip to 0.3, ends at frame 7
    [0.3, 0.5, 0.9, 0.3, 0.6, 0.25].forEach((p, i) => (roll[(i + 1) * 128 + 60] = p));
    [2, 3, 4].forEach((t) => (roll[t * 128 + 64] = 0.7)); // never reaches the onset threshold: no note
    roll[8 * 128 + 72] = 0.95; // one frame: shorter than minFrames
    [5, 6, 7].forEach((t) => (roll[t * 128 + 10] = 1)); // below A0
    [0, 1, 2].forEach((t) => (roll[t * 128 + 67] = 0.6)); // a run of p ≥ 0.5 that frame-threshold decoding would play
    const notes = rollToNotes(roll, 10, 0.016, decoding);
    expect(notes).toEqual([{ midi: 60, start: 0.008, duration: 0.096, velocity: 0.7 }]);
    // the same notes the note metrics score (decodeNotes → framesToSeconds), in seconds
    const timed = framesToSeconds(decodeNotes(roll, 10, 128, decoding), 0.016).filter((n) => n.pitch >= 21);
    expect(notes.map((n) => [n.midi, n.start, n.start + n.duration])).toEqual(
      timed.map((n) => [n.pitch, n.onset, n.offset]),
    );
    // a lower onset threshold plays the 0.6 and 0.7 runs too, and a minimum of 1 frame keeps the short note
    const loose = rollToNotes(roll, 10, 0.016, { ...decoding, onsetThreshold: 0.55, minFrames: 1 });
    expect(loose.map((n) => n.midi)).toEqual([67, 60, 64, 72]);
  });

  it('confusion matrix counts [true][predicted]; its image shades a full row darkest', () => {
    const m = confusionMatrix([0, 0, 1, 2, 2], [0, 1, 1, 2, 0], 3);
    expect(m).toEqual([
      [1, 1, 0],
      [0, 1, 0],
      [1, 0, 1],
    ]);
    const r = confusionImage(m);
    const cell = r.width / 3;
    const shade = (i: number, j: number) => pixel(r, j * cell + cell / 2, i * cell + cell / 2)[0]!;
    expect(shade(1, 1)).toBeLessThan(shade(0, 0)); // 100 % of row 1 vs 50 % of row 0
    expect(shade(1, 0)).toBe(255); // empty cell stays white
  });

  it('media clips are fixed and spread over validation; media epochs include the first, never the last', () => {
    expect(mediaClips(40, 3)).toEqual([0, 13, 26]);
    expect(mediaClips(2, 3)).toEqual([0, 1]);
    expect(mediaClips(0, 3)).toEqual([]);
    expect([...mediaEpochs(16)]).toEqual([1, 4, 8, 12]);
    expect([...mediaEpochs(1)]).toEqual([]);
    expect([...mediaEpochs(3)]).toEqual([1, 2]);
  });
});
