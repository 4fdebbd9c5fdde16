import toneMidi from '@tonejs/midi';
import { describe, expect, it } from 'vitest';
import { grooveTimingFeatures } from './groove-features';
import { readMidiNotes } from './midi-notes';
import { midiToPianoRoll } from './piano-roll';

/** A hand-written file: 120 BPM, C4 at beat 0 for 1 beat, E4 at beat 1 for ½ beat, G4 at beat 2 (pedal). */
function writeMidi(): Uint8Array {
  const midi = new toneMidi.Midi();
  midi.header.setTempo(120);
  const t = midi.addTrack();
  t.addNote({ midi: 60, ticks: 0, durationTicks: 480, velocity: 0.8 });
  t.addNote({ midi: 64, ticks: 480, durationTicks: 240, velocity: 0.5 });
  t.addNote({ midi: 67, ticks: 960, durationTicks: 120, velocity: 1 });
  // Sustain pedal down at beat 2, up at beat 3: G4 (released at 2.25 beats) rings until beat 3.
  t.addCC({ number: 64, ticks: 960, value: 1 });
  t.addCC({ number: 64, ticks: 1440, value: 0 });
  return midi.toArray();
}

describe('readMidiNotes + midiToPianoRoll', () => {
  const bytes = writeMidi();

  it('reads notes in seconds through the tempo map, with the sustain pedal extending G4', () => {
    const notes = readMidiNotes(bytes, 'hand.mid');
    expect(notes.map((n) => n.midi)).toEqual([60, 64, 67]);
    expect(notes[0]!.start).toBeCloseTo(0, 9);
    expect(notes[0]!.duration).toBeCloseTo(0.5, 9);
    expect(notes[1]!.start).toBeCloseTo(0.5, 9);
    expect(notes[2]!.duration).toBeCloseTo(0.5, 9); // held to the pedal lift at 1.5 s
    expect(readMidiNotes(bytes, 'hand.mid', { sustain: false })[2]!.duration).toBeCloseTo(0.125, 9);
  });

  it('marks each key at the frames whose centres fall inside the note, and onsets at the nearest frame', () => {
    const r = midiToPianoRoll(readMidiNotes(bytes, 'hand.mid'), { frames: 100 });
    const at = (t: number, k: number): number => r.roll[t * 128 + k]!;
    const fps = 16000 / 256; // 62.5 frames per second
    // C4: [0, 0.5) s → frames 0 … 31 (frame 31 centre 0.496 s; frame 32 centre 0.512 s)
    expect(at(0, 60)).toBe(1);
    expect(at(31, 60)).toBe(1);
    expect(at(32, 60)).toBe(0);
    // E4: [0.5, 0.75) s → frames 32 … 46
    expect(at(31, 64)).toBe(0);
    expect(at(32, 64)).toBe(1);
    expect(at(46, 64)).toBe(1);
    expect(at(47, 64)).toBe(0);
    // G4 with pedal: [1.0, 1.5) s → frames 63 … 93
    expect(at(62, 67)).toBe(0);
    expect(at(63, 67)).toBe(1);
    expect(at(93, 67)).toBe(1);
    expect(at(94, 67)).toBe(0);
    expect(r.onsets[Math.round(0.5 * fps) * 128 + 64]).toBe(1);
    expect(r.onsets.reduce((a, b) => a + b, 0)).toBe(3);
    // Nothing else is set.
    expect(r.roll.reduce((a, b) => a + b, 0)).toBe(32 + 15 + 31);
  });

  it('cuts a clip at an offset and accepts SMF bytes directly', () => {
    const r = midiToPianoRoll(bytes, { frames: 10, offset: 0.5 });
    expect(r.roll[0 * 128 + 64]).toBe(1);
    expect(r.roll[0 * 128 + 60]).toBe(0);
    expect(r.onsets[0 * 128 + 64]).toBe(1);
  });

  it('keeps notes shorter than a hop at their onset frame, and rejects bad note numbers', () => {
    const r = midiToPianoRoll([{ midi: 72, start: 0.1, duration: 0.004, velocity: 1 }], { frames: 20 });
    expect(r.roll.reduce((a, b) => a + b, 0)).toBe(1);
    expect(() => midiToPianoRoll([{ midi: 128, start: 0, duration: 1, velocity: 1 }])).toThrow(/128 outside/);
  });

  it('names the file when the bytes are not MIDI', () => {
    expect(() => readMidiNotes(new Uint8Array([1, 2, 3, 4]), 'broken.mid')).toThrow(
      /broken\.mid: not a readable MIDI file/,
    );
  });
});

describe('grooveTimingFeatures', () => {
  it('gives duration, inter-onset interval and the offset against the sixteenth grid in ms', () => {
    // 100 BPM: a sixteenth is 150 ms. Hits at step 0 (+10 ms late), step 1 (−20 ms early), step 4 (on grid).
    const notes = [
      { midi: 36, start: 0.01, duration: 0.1, velocity: 1 },
      { midi: 42, start: 0.13, duration: 0.05, velocity: 0.5 },
      { midi: 38, start: 0.6, duration: 0.1, velocity: 0.9 },
    ];
    const f = grooveTimingFeatures(notes, { bpm: 100 });
    expect(f.map((x) => x.step)).toEqual([0, 1, 4]);
    expect(f[0]!.offsetMs).toBeCloseTo(10, 9);
    expect(f[1]!.offsetMs).toBeCloseTo(-20, 9);
    expect(f[2]!.offsetMs).toBeCloseTo(0, 9);
    expect(f[1]!.ioi).toBeCloseTo(0.12, 9);
    expect(f[2]!.ioi).toBeCloseTo(0.47, 9);
    expect(f[1]!.duration).toBe(0.05);
    expect(() => grooveTimingFeatures(notes, { bpm: 0 })).toThrow(/bpm/);
  });
});
