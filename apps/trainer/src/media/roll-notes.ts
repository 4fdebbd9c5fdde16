import type { PianoNote } from '@kelly/features';
import { decodeNotes, framesToSeconds, type NoteDecoding } from '@kelly/models';

const PITCHES = 128;
/** The piano's keys (A0…C8): the sampler has no recordings outside them. */
const PIANO_LOW = 21;
const PIANO_HIGH = 108;

/**
 * The notes a run's model plays for one clip: its outputs decoded with the run's `noteDecoding` (`decodeNotes`, the
 * decoding the note metrics, the model card and the registry entry use), timed as the note metrics time them
 * (`framesToSeconds`), piano range only.
 * @param probs flat [frames][128]; @param hopS seconds per frame (256 / 16000 = 16 ms)
 */
export function rollToNotes(
  probs: Float32Array,
  frames: number,
  hopS: number,
  decoding: NoteDecoding,
  velocity = 0.7,
): PianoNote[] {
  return framesToSeconds(decodeNotes(probs, frames, PITCHES, decoding), hopS)
    .filter((n) => n.pitch >= PIANO_LOW && n.pitch <= PIANO_HIGH && n.offset > n.onset)
    .map((n) => ({ midi: n.pitch, start: n.onset, duration: n.offset - n.onset, velocity }));
}
