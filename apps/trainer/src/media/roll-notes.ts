import type { PianoNote } from '@kelly/features';

/**
 * Notes of a piano roll: each run of consecutive frames with p ≥ 0.5 on one pitch is one note (piano range
 * 21…108 only), timed by the frame hop.
 * @param roll flat [frames][128]; @param hopS seconds per frame (256 / 16000 = 16 ms)
 */
export function rollToNotes(roll: Float32Array, frames: number, hopS: number, velocity = 0.7): PianoNote[] {
  const notes: PianoNote[] = [];
  for (let p = 21; p <= 108; p++) {
    let start = -1;
    for (let t = 0; t <= frames; t++) {
      const on = t < frames && (roll[t * 128 + p] ?? 0) >= 0.5;
      if (on && start < 0) start = t;
      if (!on && start >= 0) {
        notes.push({ midi: p, start: start * hopS, duration: (t - start) * hopS, velocity });
        start = -1;
      }
    }
  }
  return notes.sort((a, b) => a.start - b.start || a.midi - b.midi);
}
