/** What the melody benches share: reading a run to score, the clips' true notes, and the held-out check. */
import {
  FEATURE_SPEC,
  splitExamples,
  SYNTH_DEFAULTS,
  type Example,
  type MelodyClipAudio,
} from '@kelly/features';
import { parseNoteDecoding, type TimedNote } from '@kelly/models';
import { getRun, openTracker } from '@kelly/tracking';
import { join } from 'node:path';
import { z } from 'zod';
import { MELODY_NOTE_DECODING } from '../src/presets';

/** What the benches read from the run's stored config. */
const StoredConfigSchema = z.object({
  model: z.literal('melody'),
  preset: z.string(),
  data: z.object({
    source: z.object({ type: z.literal('synth') }),
    seed: z.number(),
    size: z.number(),
    clipFrames: z.number(),
  }),
  noteDecoding: z.unknown().optional(),
});

export function flag(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  if (i < 0) return undefined;
  const v = argv[i + 1];
  if (!v || v.startsWith('--')) throw new Error(`${name} needs a value`);
  return v;
}

/** One run's model, config and decoding, read from its Kelly home. */
export interface RunUnderTest {
  runId: string;
  preset: string;
  data: { seed: number; size: number; clipFrames: number };
  decoding: ReturnType<typeof parseNoteDecoding>;
  decodingSource: string;
  samplesPerS: number | null;
  modelDir: string;
}

export function readRun(home: string, runId: string): RunUnderTest {
  const tracker = openTracker({ home });
  try {
    const run = getRun(tracker, runId);
    const parsed = StoredConfigSchema.safeParse(run.config);
    if (!parsed.success)
      throw new Error(
        `run ${runId} is not a synthetic melody run (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message})`,
      );
    const config = parsed.data;
    return {
      runId,
      preset: config.preset,
      data: { seed: config.data.seed, size: config.data.size, clipFrames: config.data.clipFrames },
      // a run recorded before note decoding existed is decoded with today's preset decoding (said in the JSON)
      decoding: parseNoteDecoding(
        config.noteDecoding ?? MELODY_NOTE_DECODING,
        `run ${runId} config.noteDecoding`,
      ),
      decodingSource: config.noteDecoding === undefined ? 'preset (the run records none)' : 'run config',
      samplesPerS: run.metrics.find((m) => m.key === 'samples_per_s')?.last ?? null,
      modelDir: join(tracker.paths.artifacts, runId, 'model'),
    };
  } finally {
    tracker.close();
  }
}

/**
 * Clip ids of `audio` that `run` trained on: the same synthetic seed and an index in the run's training split
 * (clip i depends only on (seed, index); a longer clip starts as the shorter one does).
 */
export function trainedClipsIn(
  run: { seed: number; size: number },
  audio: { seed: number; ids: readonly string[] },
): string[] {
  if (run.seed !== audio.seed) return [];
  const all = Array.from({ length: run.size }, (_, i) => ({ id: `melody-${String(i).padStart(6, '0')}` }));
  const { train } = splitExamples(all as unknown as Example[], SYNTH_DEFAULTS.validationFraction);
  const seen = new Set(train.map((e) => e.id));
  return audio.ids.filter((id) => seen.has(id));
}

/** The clips' true notes in seconds (mir_eval's intervals), cut at the clip end. */
export function referenceNotes(clips: readonly MelodyClipAudio[]): TimedNote[][] {
  const clipSeconds = (clips[0]?.audio.length ?? 0) / FEATURE_SPEC.sampleRate;
  return clips.map((c) =>
    c.notes
      .filter((n) => n.start < clipSeconds)
      .map((n) => ({ pitch: n.midi, onset: n.start, offset: Math.min(n.start + n.duration, clipSeconds) })),
  );
}

/** Runs `main(process.argv)` when the module at `url` is the script node was started with; exits with its code. */
export function runIfMain(url: string, main: (argv: string[]) => Promise<number>): void {
  if (url !== `file://${process.argv[1]}`) return;
  main(process.argv).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : String(e));
      process.exit(1);
    },
  );
}
