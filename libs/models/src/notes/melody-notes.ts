import { decodeNotes, framesToSeconds, rollNotes, type NoteDecoding } from './note-decoding';
import { NoteScorer } from './note-metrics';

/**
 * Note-level scores of a batch of melody predictions against their piano-roll targets: each clip's reference
 * notes are the runs of its target roll ({@link rollNotes}), its estimated notes are {@link decodeNotes} of the
 * predictions; both go to seconds with {@link framesToSeconds} and are matched by mir_eval's rules per clip.
 * @param pred flat [n][frames][pitches] probabilities; @param target same shape, {0, 1}
 * @returns `note_onset_*`, `note_offset_*` (precision, recall, f1) and `notes_per_reference` (estimated / true)
 */
export function melodyNoteScores(
  pred: ArrayLike<number>,
  target: ArrayLike<number>,
  shape: { n: number; frames: number; pitches: number },
  decoding: NoteDecoding,
  frameSeconds: number,
): Record<string, number> {
  const { n, frames, pitches } = shape;
  const scorer = new NoteScorer();
  for (let i = 0; i < n; i++) {
    const start = i * frames * pitches;
    const ref = framesToSeconds(rollNotes(target, frames, pitches, start), frameSeconds);
    const est = framesToSeconds(decodeNotes(pred, frames, pitches, decoding, start), frameSeconds);
    scorer.addClip(ref, est);
  }
  return { ...scorer.scores(), notes_per_reference: scorer.onset.est / Math.max(1, scorer.onset.ref) };
}
