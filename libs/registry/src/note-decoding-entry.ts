import { z } from 'zod';

/**
 * The melody trainer records how its 128 outputs become notes in `config.noteDecoding` (see `decodeNotes` in
 * @kelly/models, which this lib may not import); the registry publishes it as the entry's `note_decoding` so the
 * plugin decodes exactly as the model was scored. Kelly's registry schema allows extra keys on a model entry.
 */
const RunNoteDecodingSchema = z.object({
  onsetThreshold: z.number().gt(0).lt(1),
  frameThreshold: z.number().gt(0).lt(1),
  minFrames: z.number().int().min(1),
  reonsetDelta: z.number().min(0).max(1),
});

/** The registry entry's `note_decoding` block. */
export interface NoteDecodingEntry {
  /** A note starts when p ≥ this. */
  onset_threshold: number;
  /** …and is held while p ≥ this (hysteresis). */
  frame_threshold: number;
  /** Notes shorter than this many frames (model hops) are dropped. */
  min_frames: number;
  /** A held note is re-struck when p dips by ≥ this below its peak and rises again by ≥ this (0 = off). */
  reonset_delta: number;
  /** Where the rules are written down and implemented. */
  reference: string;
}

/**
 * `note_decoding` for a run's config, or undefined when it records none (non-melody models, older runs).
 * @throws Error naming `config.noteDecoding` and the field when the recorded parameters are malformed
 */
export function noteDecodingEntry(
  config: Record<string, unknown>,
  runId: string,
): NoteDecodingEntry | undefined {
  const raw = config.noteDecoding;
  if (raw === undefined || raw === null) return undefined;
  const r = RunNoteDecodingSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Error(
      `run ${runId}: config.noteDecoding.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return {
    onset_threshold: r.data.onsetThreshold,
    frame_threshold: r.data.frameThreshold,
    min_frames: r.data.minFrames,
    reonset_delta: r.data.reonsetDelta,
    reference: 'Kelly ML @kelly/models decodeNotes (libs/models README, "Notes")',
  };
}
