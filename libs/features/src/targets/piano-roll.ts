import { FEATURE_SPEC, type FeatureSpec } from '../dsp/feature-spec';
import { readMidiNotes, type MidiNote } from './midi-notes';

/** Piano roll at the feature hop rate, aligned with `logMel` frames. */
export interface PianoRoll {
  readonly frames: number;
  /** [frames][128], 1 where the key sounds at the frame centre (t·hop / sr seconds), else 0 (see midiToPianoRoll). */
  readonly roll: Float32Array;
  /** [frames][128], 1 at the frame nearest each note's onset (round(start·sr / hop)). */
  readonly onsets: Float32Array;
}

export interface PianoRollOptions {
  /** Number of frames; default: enough for the last note's end. */
  readonly frames?: number;
  /** Seconds of the note timeline that frame 0 is centred on (for cutting clips). Default 0. */
  readonly offset?: number;
  readonly spec?: FeatureSpec;
}

/**
 * Notes (or SMF bytes) → piano roll + onsets at the hop rate. A note covers frame t when
 * start ≤ offset + t·hop/sr < start + duration; a note too short to cover any frame centre marks its onset
 * frame instead, so no note is lost. Notes outside 0…127 are rejected.
 */
export function midiToPianoRoll(
  input: readonly MidiNote[] | Uint8Array,
  opts: PianoRollOptions = {},
): PianoRoll {
  const spec = opts.spec ?? FEATURE_SPEC;
  const notes = input instanceof Uint8Array ? readMidiNotes(input, 'midi bytes') : input;
  const offset = opts.offset ?? 0;
  const fps = spec.sampleRate / spec.hop;
  const lastEnd = notes.reduce((m, n) => Math.max(m, n.start + n.duration), 0);
  const frames = opts.frames ?? Math.max(1, Math.ceil((lastEnd - offset) * fps) + 1);
  const roll = new Float32Array(frames * 128);
  const onsets = new Float32Array(frames * 128);
  for (const n of notes) {
    if (!Number.isInteger(n.midi) || n.midi < 0 || n.midi > 127)
      throw new Error(`midiToPianoRoll: note number ${n.midi} outside 0…127`);
    const s = (n.start - offset) * fps;
    const e = (n.start + n.duration - offset) * fps;
    const onset = Math.round(s);
    let covered = 0;
    for (let t = Math.max(0, Math.ceil(s)); t < Math.min(frames, e); t++, covered++)
      roll[t * 128 + n.midi] = 1;
    if (onset >= 0 && onset < frames) {
      onsets[onset * 128 + n.midi] = 1;
      if (covered === 0 && Math.ceil(s) >= e) roll[onset * 128 + n.midi] = 1;
    }
  }
  return { frames, roll, onsets };
}
