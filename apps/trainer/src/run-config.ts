import { FEATURE_SPEC } from '@kelly/features';
import { defaultWorkerCount, NoteDecodingSchema } from '@kelly/models';
import { resolve } from 'node:path';
import { z } from 'zod';
import type { TrainerOptions } from './cli-options';
import { PRESET_TABLE } from './presets';
import { MODEL_KINDS, type LossOptions } from './tasks/task';

/** The full resolved config stored on the run (and read back by `--resume`). */
export const RunConfigSchema = z.object({
  model: z.enum(MODEL_KINDS),
  preset: z.enum(['smoke', 'default', 'full']),
  modelConfig: z.record(z.string(), z.number()),
  data: z.object({
    source: z.union([
      z.object({ type: z.literal('synth') }),
      z.object({ type: z.enum(['maestro', 'manifest']), path: z.string() }),
    ]),
    seed: z.number().int(),
    size: z.number().int(),
    clipFrames: z.number().int(),
    /** emotion-node: absolute thesaurus folder the hierarchy came from, or null for the bundled one. */
    thesaurus: z.string().nullable().optional(),
  }),
  /**
   * The log-mel front end the inputs are computed with (`FEATURE_SPEC` of @kelly/features), recorded so that
   * compare lines it up with a legacy run's sample_rate / n_mels / n_fft / hop_length. Optional: runs stored
   * before it was recorded still resume.
   */
  features: z
    .object({ sampleRate: z.number(), nFft: z.number(), hop: z.number(), nMels: z.number() })
    .optional(),
  training: z.object({
    epochs: z.number().int().min(1),
    batchSize: z.number().int().min(1),
    lr: z.number().positive(),
    optimizer: z.literal('adamw'),
    weightDecay: z.number().min(0),
    clipNorm: z.number().min(0),
    /** Weight of the positive terms of a multi-label BCE (melody); 1 = plain BCE. */
    positiveWeight: z.number().positive(),
    /** Melody: extra weight of a note's first frame, and of the first frame after it (0 = none). */
    onsetWeight: z.number().min(0).default(0),
    offsetWeight: z.number().min(0).default(0),
    schedule: z.object({
      type: z.literal('cosine-with-warmup'),
      warmupEpochs: z.number().min(0),
      minLr: z.number().min(0),
    }),
    earlyStopping: z.object({
      monitor: z.literal('val_loss'),
      patience: z.number().int().min(1),
      minDelta: z.number().min(0),
    }),
  }),
  /** Melody: how the 128 outputs become notes (note metrics, model card, registry entry). */
  noteDecoding: NoteDecodingSchema.optional(),
  /** Media of fixed validation clips (input audio, log-mel, predictions); older runs get the default. */
  media: z
    .object({ enabled: z.boolean(), clips: z.number().int().min(0).max(16) })
    .default({ enabled: true, clips: 3 }),
  seed: z.number().int(),
  workers: z.object({
    requested: z.number().int().nullable(),
    featureExtraction: z.number().int().min(1),
    training: z.number().int().min(1),
  }),
});
export type RunConfig = z.infer<typeof RunConfigSchema>;

/** Preset values, overridden by flags. */
export function resolveConfig(o: TrainerOptions): RunConfig {
  const p = PRESET_TABLE[o.model][o.preset];
  // --workers N sets both. By default training uses the free cores (issue 7), except smoke: its models are
  // so small that shipping batches to threads costs more than it saves.
  const trainingWorkers = o.workers ?? (o.preset === 'smoke' ? 1 : defaultWorkerCount());
  const extractionWorkers = o.workers ?? 1;
  return {
    model: o.model,
    preset: o.preset,
    modelConfig: { ...p.model },
    data: {
      source: o.data,
      seed: o.seed,
      size: o.size ?? p.data.size,
      clipFrames: p.data.clipFrames,
      ...(o.model === 'emotion-node' ? { thesaurus: o.thesaurus ? resolve(o.thesaurus) : null } : {}),
    },
    features: {
      sampleRate: FEATURE_SPEC.sampleRate,
      nFft: FEATURE_SPEC.nFft,
      hop: FEATURE_SPEC.hop,
      nMels: FEATURE_SPEC.nMels,
    },
    training: {
      epochs: o.epochs ?? p.epochs,
      batchSize: o.batchSize ?? p.batchSize,
      lr: o.lr ?? p.lr,
      optimizer: 'adamw',
      weightDecay: p.weightDecay,
      clipNorm: 5,
      positiveWeight: p.positiveWeight ?? 1,
      onsetWeight: p.onsetWeight ?? 0,
      offsetWeight: p.offsetWeight ?? 0,
      schedule: { type: 'cosine-with-warmup', warmupEpochs: p.warmupEpochs, minLr: 0 },
      earlyStopping: { monitor: 'val_loss', patience: p.patience, minDelta: p.minDelta },
    },
    ...(p.noteDecoding ? { noteDecoding: p.noteDecoding } : {}),
    media: { enabled: o.media === 'on', clips: 3 },
    seed: o.seed,
    workers: {
      requested: o.workers ?? null,
      featureExtraction: extractionWorkers,
      training: trainingWorkers,
    },
  };
}

/** The loss weights of a run. */
export function lossOptions(config: RunConfig): LossOptions {
  const t = config.training;
  return { positiveWeight: t.positiveWeight, onsetWeight: t.onsetWeight, offsetWeight: t.offsetWeight };
}
