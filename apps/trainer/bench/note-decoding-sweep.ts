/**
 * Chooses a melody run's note decoding on audio it was neither trained nor benchmarked on:
 *
 *     npx tsx apps/trainer/bench/note-decoding-sweep.ts --run <id> --home <dir> [--seed 2] [--clips 150]
 *
 * renders `--clips` synthetic clips of another seed at the run's clip length (clip i depends only on (seed, index),
 * so none of them is a training clip or one of the quality bench's clips), runs the model once, and scores every
 * decoding of the grid (onset × frame threshold × minimum length × re-onset) by frame F1 of the drawn notes,
 * note-onset F1 and note F1 with offsets (mir_eval's rules, as the quality bench). The pick maximises the mean of the
 * three. Prints one JSON document on stdout (progress on stderr).
 */
import { FEATURE_SPEC, logMel, midiToPianoRoll, renderMelodyAudio } from '@kelly/features';
import {
  binaryMetrics,
  decodeNotes,
  framesToSeconds,
  loadLayersModel,
  notesToRoll,
  NoteScorer,
  predictBatched,
  selectBackend,
  type NoteDecoding,
  type TimedNote,
} from '@kelly/models';
import * as tf from '@tensorflow/tfjs';
import { loadavg } from 'node:os';
import { flag, readRun, referenceNotes, runIfMain, trainedClipsIn } from './melody-eval';

const PITCHES = 128;
const dt = FEATURE_SPEC.hop / FEATURE_SPEC.sampleRate;
const round = (x: number, d = 4) => Number(x.toFixed(d));

export const SWEEP_GRID = {
  onsetThreshold: [0.5, 0.6, 0.7, 0.8, 0.9, 0.95],
  frameThreshold: [0.1, 0.2, 0.3, 0.4],
  minFrames: [1, 2, 3, 4, 6],
  reonsetDelta: [0, 0.2, 0.4],
} as const;

export interface DecodingScore {
  decoding: NoteDecoding;
  frame_f1: number;
  note_onset_f1: number;
  note_offset_f1: number;
  mean_f1: number;
  notes_per_reference: number;
}

/** Scores one decoding of `pred` ([clips][frames][128]) against the clips' notes and target rolls. */
export function scoreDecoding(
  pred: Float32Array,
  frames: number,
  ref: readonly TimedNote[][],
  target: Float32Array,
  decoding: NoteDecoding,
): DecodingScore {
  const scorer = new NoteScorer();
  const drawn = new Float32Array(target.length);
  ref.forEach((r, i) => {
    const est = framesToSeconds(decodeNotes(pred, frames, PITCHES, decoding, i * frames * PITCHES), dt);
    scorer.addClip(r, est);
    drawn.set(notesToRoll(est, frames, dt, PITCHES), i * frames * PITCHES);
  });
  const s = scorer.scores();
  const frame = binaryMetrics(drawn, target).f1;
  const onset = s.note_onset_f1!;
  const offset = s.note_offset_f1!;
  return {
    decoding,
    frame_f1: round(frame),
    note_onset_f1: round(onset),
    note_offset_f1: round(offset),
    mean_f1: round((frame + onset + offset) / 3),
    notes_per_reference: round(scorer.onset.est / Math.max(1, scorer.onset.ref), 3),
  };
}

export function* gridDecodings(): Generator<NoteDecoding> {
  for (const onsetThreshold of SWEEP_GRID.onsetThreshold)
    for (const frameThreshold of SWEEP_GRID.frameThreshold)
      for (const minFrames of SWEEP_GRID.minFrames)
        for (const reonsetDelta of SWEEP_GRID.reonsetDelta)
          if (frameThreshold <= onsetThreshold)
            yield { onsetThreshold, frameThreshold, minFrames, reonsetDelta };
}

export async function main(argv: string[]): Promise<number> {
  const args = argv.slice(2);
  const runId = flag(args, '--run');
  const home = flag(args, '--home');
  if (!runId || !home) throw new Error('note-decoding-sweep: needs --run <id> --home <dir>');
  const seed = Number(flag(args, '--seed') ?? 2);
  const count = Number(flag(args, '--clips') ?? 150);
  if (!Number.isInteger(seed)) throw new Error(`note-decoding-sweep: --seed must be an integer, got ${seed}`);
  if (!(Number.isInteger(count) && count >= 1))
    throw new Error(`note-decoding-sweep: --clips must be an integer ≥ 1, got ${count}`);
  const run = readRun(home, runId);
  const T = run.data.clipFrames;
  const ids = Array.from({ length: count }, (_, i) => `melody-${String(i).padStart(6, '0')}`);
  const seen = trainedClipsIn(run.data, { seed, ids });
  if (seen.length > 0)
    throw new Error(
      `note-decoding-sweep: run ${runId} trained on ${seen.length} of these clips; pick another --seed`,
    );
  await selectBackend();

  process.stderr.write(`note-decoding-sweep: rendering ${count} clips of seed ${seed} (${T} frames)\n`);
  const clips = await renderMelodyAudio({ seed, size: count, clipFrames: T }, ids);
  const ref = referenceNotes(clips);
  const target = Float32Array.from(clips.flatMap((c) => [...midiToPianoRoll(c.notes, { frames: T }).roll]));
  const model = await loadLayersModel(run.modelDir);
  const x = tf.tensor3d(Float32Array.from(clips.flatMap((c) => [...logMel(c.audio).data])), [
    count,
    T,
    FEATURE_SPEC.nMels,
  ]);
  const pred = predictBatched(model, x, 16).data;
  x.dispose();
  model.dispose();

  process.stderr.write('note-decoding-sweep: scoring the grid\n');
  const scores = [...gridDecodings()].map((d) => scoreDecoding(pred, T, ref, target, d));
  const by = (k: keyof Omit<DecodingScore, 'decoding'>) => [...scores].sort((a, b) => b[k] - a[k])[0]!;
  const best = by('mean_f1');
  const current = scoreDecoding(pred, T, ref, target, run.decoding);
  console.log(
    JSON.stringify(
      {
        run_id: runId,
        preset: run.preset,
        audio: { seed, clips: count, clip_frames: T, reference_notes: ref.reduce((a, r) => a + r.length, 0) },
        grid: SWEEP_GRID,
        criterion: 'mean of frame F1, note-onset F1 and note F1 with offsets',
        current: { ...current, source: run.decodingSource },
        best,
        best_by: {
          frame_f1: by('frame_f1'),
          note_onset_f1: by('note_onset_f1'),
          note_offset_f1: by('note_offset_f1'),
        },
        top: [...scores].sort((a, b) => b.mean_f1 - a.mean_f1).slice(0, 10),
        machine: { loadavg_1m: round(loadavg()[0] ?? 0, 2) },
      },
      null,
      2,
    ),
  );
  return 0;
}

runIfMain(import.meta.url, main);
