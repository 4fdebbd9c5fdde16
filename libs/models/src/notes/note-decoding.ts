import { z } from 'zod';

/**
 * How per-frame pitch probabilities (the melody model's 128 outputs) become notes. The plugin decodes with the
 * same parameters (published in the registry entry as `note_decoding`), so what is measured is what plays.
 *
 * Per pitch, frame by frame (hysteresis, as in edge linking: a note is a run of frames with p ≥ `frameThreshold` that
 * reaches `onsetThreshold`):
 * - a note is confirmed at the first frame with p ≥ `onsetThreshold` (the high threshold), and dated from the first
 *   frame of the run of p ≥ `frameThreshold` (the low threshold) that leads to it: the model's probability often
 *   climbs over a few frames while a note's pitch becomes clear, and the onset is where the climb began;
 * - it is held while p ≥ `frameThreshold` and ends at the first frame below it;
 * - re-onset: while a note is held, if p fell from its peak P (since the note started) to a low m and now rises
 *   again with p[t] ≥ `onsetThreshold`, P − m ≥ `reonsetDelta` and p[t] − m ≥ `reonsetDelta`, the note ends at t
 *   and a new one starts at t (a re-struck key whose probability never fell below the low threshold).
 *   0 disables it;
 * - notes shorter than `minFrames` frames are dropped.
 * A streaming decoder knows a note when it is confirmed (and its start frame then); it knows its end at once.
 */
export const NoteDecodingSchema = z.object({
  onsetThreshold: z.number().gt(0).lt(1),
  frameThreshold: z.number().gt(0).lt(1),
  minFrames: z.number().int().min(1),
  reonsetDelta: z.number().min(0).max(1),
});
export type NoteDecoding = z.infer<typeof NoteDecodingSchema>;

/** A note on the frame grid: frames [onFrame, offFrame) of `pitch` (MIDI 0…127). */
export interface FrameNote {
  pitch: number;
  onFrame: number;
  offFrame: number;
}

/** A note in seconds (mir_eval's interval + pitch): sounds over [onset, offset). */
export interface TimedNote {
  pitch: number;
  onset: number;
  offset: number;
}

/** Checks decoding parameters (zod), naming the field; the low threshold may not exceed the high one. */
export function parseNoteDecoding(value: unknown, where = 'note decoding'): NoteDecoding {
  const r = NoteDecodingSchema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Error(`${where}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  if (r.data.frameThreshold > r.data.onsetThreshold)
    throw new Error(
      `${where}: frameThreshold ${r.data.frameThreshold} > onsetThreshold ${r.data.onsetThreshold}`,
    );
  return r.data;
}

/**
 * Decodes one clip's probabilities into notes (see {@link NoteDecodingSchema} for the rules).
 * @param probs flat [frames][pitches] starting at `start` (so a batch buffer can be decoded clip by clip)
 * @returns notes sorted by onset, then pitch
 */
export function decodeNotes(
  probs: ArrayLike<number>,
  frames: number,
  pitches: number,
  params: NoteDecoding,
  start = 0,
): FrameNote[] {
  const { onsetThreshold: hi, frameThreshold: lo, minFrames, reonsetDelta } = params;
  const notes: FrameNote[] = [];
  const emit = (pitch: number, on: number, off: number) => {
    if (off - on >= minFrames) notes.push({ pitch, onFrame: on, offFrame: off });
  };
  for (let k = 0; k < pitches; k++) {
    let on = -1;
    let rise = -1; // first frame of the current run of p ≥ frameThreshold while no note is on
    let peak = 0; // highest p since the note (re)started
    let low = 0; // lowest p since that peak
    for (let t = 0; t < frames; t++) {
      const p = probs[start + t * pitches + k] ?? 0;
      if (on < 0) {
        if (p < lo) rise = -1;
        else if (rise < 0) rise = t;
        if (p >= hi) [on, peak, low] = [rise, p, p];
      } else if (p < lo) {
        rise = -1;
        emit(k, on, t);
        on = -1;
      } else if (reonsetDelta > 0 && p >= hi && peak - low >= reonsetDelta && p - low >= reonsetDelta) {
        emit(k, on, t);
        [on, peak, low] = [t, p, p];
      } else if (p > peak) {
        [peak, low] = [p, p];
      } else {
        low = Math.min(low, p);
      }
    }
    if (on >= 0) emit(k, on, frames);
  }
  return notes.sort((a, b) => a.onFrame - b.onFrame || a.pitch - b.pitch);
}

/**
 * Notes of a binary piano roll (the training target): every run of frames ≥ 0.5, no minimum length.
 * @param roll flat [frames][pitches] from `start`
 */
export function rollNotes(roll: ArrayLike<number>, frames: number, pitches: number, start = 0): FrameNote[] {
  return decodeNotes(
    roll,
    frames,
    pitches,
    { onsetThreshold: 0.5, frameThreshold: 0.5, minFrames: 1, reonsetDelta: 0 },
    start,
  );
}

/**
 * Frame notes → seconds. Frame t is centred on t·`frameSeconds`, and a target frame is on when its centre lies
 * inside the note, so a run [a, b) comes from a note starting in ((a−1)·dt, a·dt] and ending in ((b−1)·dt, b·dt]:
 * the midpoints (a − ½)·dt and (b − ½)·dt are unbiased (clamped at 0).
 */
export function framesToSeconds(notes: readonly FrameNote[], frameSeconds: number): TimedNote[] {
  return notes.map((n) => ({
    pitch: n.pitch,
    onset: Math.max(0, (n.onFrame - 0.5) * frameSeconds),
    offset: Math.max(0, (n.offFrame - 0.5) * frameSeconds),
  }));
}

/**
 * Renders notes onto a frame grid by the piano-roll target's rule (`midiToPianoRoll` in @kelly/features): frame t is
 * on when t·dt ∈ [onset, offset), and a note too short to cover any frame centre marks its nearest frame.
 * @returns flat [frames][pitches] in {0, 1}
 */
export function notesToRoll(
  notes: readonly TimedNote[],
  frames: number,
  frameSeconds: number,
  pitches = 128,
): Float32Array {
  const roll = new Float32Array(frames * pitches);
  for (const n of notes) {
    if (n.pitch < 0 || n.pitch >= pitches) continue;
    const s = n.onset / frameSeconds;
    const e = n.offset / frameSeconds;
    let covered = 0;
    for (let t = Math.max(0, Math.ceil(s)); t < Math.min(frames, e); t++, covered++)
      roll[t * pitches + n.pitch] = 1;
    const near = Math.round(s);
    if (covered === 0 && Math.ceil(s) >= e && near >= 0 && near < frames) roll[near * pitches + n.pitch] = 1;
  }
  return roll;
}
