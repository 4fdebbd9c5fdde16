import { resolve } from 'node:path';
import { FEATURE_SPEC } from '../dsp/feature-spec';
import { WorkerPool, chunkIndices } from '../parallel/worker-pool';
import { assembleDataset, splitExamples } from './assemble';
import type { Dataset, DatasetKind, Example, SynthOptions } from './dataset-types';
import { EMOTION_LABELS } from './emotion-cues';
import { resolveEmotionHierarchy } from './emotion-hierarchy';
import { GROOVE_FEATURES, GROOVE_STEPS } from './groove-plan';
import { SYNTH_CARDS } from './synth-cards';
import { EMOTION_NODE_LEVELS, EMOTION_NODE_TARGET_LAYOUT } from './emotion-node-layout';
import { makeClips, melodyClipNotes, pianoFor, renderClipAudio, type ClipOptions } from './synth-clips';
import type { PianoNote } from '../synth/piano-sampler';

/** Options of the built-in synthetic datasets. */
export interface SynthDatasetOptions extends SynthOptions {
  /** Melody tempo before the ±6 % per-clip variation. Default 82 BPM. */
  readonly bpm?: number;
  /**
   * emotion-node: a Kelly emotion-thesaurus folder (relative to the cwd) that overrides the 6×6×6 hierarchy
   * bundled with the repository (`emotion-hierarchy.json`). Default: the bundled one.
   */
  readonly thesaurusDir?: string;
}

/** Defaults: 200 clips of 313 frames (5 s at 16 kHz), seed 1, 20 % validation; groove clips are 32 steps. */
export const SYNTH_DEFAULTS = {
  seed: 1,
  size: 200,
  clipFrames: 313,
  validationFraction: 0.2,
  bpm: 82,
} as const;
/** Longest clip the issue allows: 5 s → 1 + floor(80000 / 256) = 313 frames. */
export const MAX_CLIP_FRAMES = 313;

function shapes(
  kind: DatasetKind,
  clipFrames: number,
): { inputShape: number[]; outputShape: number[]; labels?: readonly string[] } {
  switch (kind) {
    case 'melody':
      return { inputShape: [clipFrames, FEATURE_SPEC.nMels], outputShape: [clipFrames, 128] };
    case 'groove':
      return { inputShape: [GROOVE_STEPS, GROOVE_FEATURES], outputShape: [GROOVE_STEPS] };
    case 'emotion':
      return {
        inputShape: [clipFrames, FEATURE_SPEC.nMels],
        outputShape: [EMOTION_LABELS.length],
        labels: EMOTION_LABELS,
      };
    case 'emotion-node':
      return { inputShape: [clipFrames, FEATURE_SPEC.nMels], outputShape: [EMOTION_NODE_TARGET_LAYOUT.size] };
  }
}

/**
 * Builds one of the four built-in datasets, deterministically from `seed` (same options → same `hash`, for
 * any `workers`). Audio clips are rendered with the real Salamander piano samples and turned into log-mel
 * `[clipFrames][64]`; see each dataset's `card` for what is generated and the exact targets.
 * @throws Error when options are out of range, or (emotion-node) the thesaurus folder is missing.
 */
export async function buildSynthDataset(kind: DatasetKind, opts: SynthDatasetOptions = {}): Promise<Dataset> {
  const seed = opts.seed ?? SYNTH_DEFAULTS.seed;
  const size = opts.size ?? SYNTH_DEFAULTS.size;
  const clipFrames = opts.clipFrames ?? SYNTH_DEFAULTS.clipFrames;
  const vf = opts.validationFraction ?? SYNTH_DEFAULTS.validationFraction;
  const workers = opts.workers ?? 1;
  if (!(Number.isInteger(size) && size >= 2))
    throw new Error(`${kind} dataset: size must be an integer ≥ 2 (got ${size})`);
  if (!(Number.isInteger(clipFrames) && clipFrames >= 8 && clipFrames <= MAX_CLIP_FRAMES)) {
    throw new Error(
      `${kind} dataset: clipFrames must be an integer in 8…${MAX_CLIP_FRAMES} (≤ 5 s), got ${clipFrames}`,
    );
  }
  if (!Number.isInteger(seed)) throw new Error(`${kind} dataset: seed must be an integer (got ${seed})`);
  const thesaurusDir = opts.thesaurusDir ? resolve(opts.thesaurusDir) : null;
  let labels: readonly string[] | undefined;
  let hierarchySource = 'none';
  if (kind === 'emotion-node') {
    const h = resolveEmotionHierarchy(thesaurusDir);
    labels = h.nodes.map((n) => `${n.baseName}/${n.subName}/${n.name}`);
    hierarchySource = h.source;
  }
  const options: ClipOptions = {
    seed,
    clipFrames,
    augment: opts.augment ?? false,
    bpm: opts.bpm ?? SYNTH_DEFAULTS.bpm,
    thesaurusDir,
  };
  const all = Array.from({ length: size }, (_, i) => i);
  let examples: Example[];
  if (workers <= 1 || kind === 'groove') {
    examples = await makeClips(kind, options, all);
  } else {
    // Decode the piano recordings once here and hand them to every worker, rather than once per thread.
    const bank = await pianoFor(kind, options, all);
    const pool = new WorkerPool(Math.min(workers, size));
    try {
      await pool.broadcast({ type: 'piano', samples: bank.entries() });
      const tasks = chunkIndices(size, workers * 4).map((indices) => ({
        type: 'clips' as const,
        kind,
        options,
        indices,
      }));
      examples = (await pool.run(tasks)).flatMap((r) => (r.type === 'clips' ? r.examples : []));
    } finally {
      await pool.close();
    }
  }
  const stride =
    kind === 'emotion' ? EMOTION_LABELS.length : kind === 'emotion-node' ? EMOTION_NODE_LEVELS.base : 1;
  const { train, validation } = splitExamples(examples, vf, stride);
  const s = shapes(kind, clipFrames);
  const gen = kind === 'groove' ? `n${size}` : `n${size}-t${clipFrames}${options.augment ? '-aug' : ''}`;
  return assembleDataset({
    kind,
    // emotion-node v2: one musical dimension per hierarchy level (emotion-node-cues.ts)
    idPrefix: `synth-${kind}-v${kind === 'emotion-node' ? 2 : 1}-s${seed}-${gen}`,
    featureSpec: FEATURE_SPEC,
    ...s,
    ...(labels ? { labels } : {}),
    train,
    validation,
    card: SYNTH_CARDS[kind]({
      seed,
      size,
      clipFrames,
      augment: options.augment,
      bpm: options.bpm,
      hierarchySource,
      validationFraction: vf,
    }),
  });
}

export const buildMelodyDataset = (o?: SynthDatasetOptions): Promise<Dataset> =>
  buildSynthDataset('melody', o);
export const buildGrooveDataset = (o?: SynthDatasetOptions): Promise<Dataset> =>
  buildSynthDataset('groove', o);
export const buildEmotionDataset = (o?: SynthDatasetOptions): Promise<Dataset> =>
  buildSynthDataset('emotion', o);
export const buildEmotionNodeDataset = (o?: SynthDatasetOptions): Promise<Dataset> =>
  buildSynthDataset('emotion-node', o);

/**
 * The 16 kHz mono audio of clips of a built-in audio dataset (melody, emotion, emotion-node), regenerated from the
 * options the dataset was built with: sample for sample what was turned into its log-mel. `clipIds` are example
 * ids (`melody-000017`).
 * @throws Error naming an id that is not one of this kind's clips.
 */
export async function synthClipAudio(
  kind: Exclude<DatasetKind, 'groove'>,
  opts: SynthDatasetOptions,
  clipIds: readonly string[],
): Promise<Float32Array[]> {
  const indices = clipIds.map((id) => {
    const m = new RegExp(`^${kind}-(\\d+)$`).exec(id);
    if (!m) throw new Error(`synthClipAudio: "${id}" is not a ${kind} clip id`);
    return Number(m[1]);
  });
  return renderClipAudio(
    kind,
    {
      seed: opts.seed ?? SYNTH_DEFAULTS.seed,
      clipFrames: opts.clipFrames ?? SYNTH_DEFAULTS.clipFrames,
      augment: opts.augment ?? false,
      bpm: opts.bpm ?? SYNTH_DEFAULTS.bpm,
      thesaurusDir: opts.thesaurusDir ? resolve(opts.thesaurusDir) : null,
    },
    indices,
  );
}

/** One synthetic melody clip as audio with its notes (the ground truth its piano-roll target is made from). */
export interface MelodyClipAudio {
  /** Example id, as in the dataset (`melody-000123`). */
  id: string;
  /** 16 kHz mono, the exact samples the clip's log-mel is computed from. */
  audio: Float32Array;
  /** The notes played, seconds from the clip start (some may be held past its end). */
  notes: PianoNote[];
}

/**
 * The audio ({@link synthClipAudio}) and notes of melody clips `ids` exactly as {@link buildSynthDataset} makes
 * them with the same options, for transcribers that take audio (the melody-quality bench).
 * @throws Error naming an id that is not a synthetic melody clip id (`melody-000123`)
 */
export async function renderMelodyAudio(
  opts: SynthDatasetOptions,
  ids: readonly string[],
): Promise<MelodyClipAudio[]> {
  const audio = await synthClipAudio('melody', opts, ids);
  const notes = melodyClipNotes(
    {
      seed: opts.seed ?? SYNTH_DEFAULTS.seed,
      clipFrames: opts.clipFrames ?? SYNTH_DEFAULTS.clipFrames,
      augment: opts.augment ?? false,
      bpm: opts.bpm ?? SYNTH_DEFAULTS.bpm,
      thesaurusDir: opts.thesaurusDir ? resolve(opts.thesaurusDir) : null,
    },
    ids.map((id) => Number(id.slice('melody-'.length))),
  );
  return ids.map((id, i) => ({ id, audio: audio[i]!, notes: notes[i]! }));
}
