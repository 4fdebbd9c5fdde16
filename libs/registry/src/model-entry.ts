import type { ModelEntry, RegistryTask, TrainingMetadata } from '@kelly/legacy';
import { noteDecodingEntry } from './note-decoding-entry';
import { formatParams, type RtneuralSummary } from './rtneural-summary';

/** Registry `task` per model id, as the old registry and the plugin loader use them. */
const TASKS: Record<string, RegistryTask> = {
  melodytransformer: 'melody_generation',
  groovepredictor: 'groove_prediction',
  emotionrecognizer: 'emotion_embedding',
  emotionnodeclassifier: 'emotion_node_classification',
  harmonypredictor: 'harmony_prediction',
  dynamicsengine: 'dynamics_mapping',
  instrumentrecognizer: 'dual_instrument_recognition',
};
export const taskFor = (modelId: string): RegistryTask => TASKS[modelId] ?? 'custom';

/** A registry model id (`^[a-z0-9_]+$`) from an experiment name: lowercased, other characters become `_`. */
export const modelIdFor = (experiment: string) => experiment.toLowerCase().replace(/[^a-z0-9_]+/g, '_');

/** What the registry's `training` block is filled from: one tracked run. */
export interface RunForEntry {
  id: string;
  config: Record<string, unknown>;
  /** The run's system info (the trainer records `system.dataset = { id, hash, ... }` there). */
  system?: Record<string, unknown> | null;
  gitCommit: string | null;
  hardware: string | null;
  /** Epoch ms. */
  startedAt: number;
  endedAt: number | null;
  /** Real wall-clock duration in seconds. */
  durationS: number | null;
  /** Last logged value per metric key (train loss, val loss, test loss). */
  lastMetrics: Record<string, number | undefined>;
}

/** First non-empty value at any of `paths` (dotted), looked up in each source in turn. */
function lookup(sources: Record<string, unknown>[], paths: string[]): unknown {
  for (const src of sources) {
    for (const p of paths) {
      let v: unknown = src;
      for (const k of p.split('.'))
        v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
      if (v !== undefined && v !== null && v !== '') return v;
    }
  }
  return undefined;
}
const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);
const int = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined);
const finite = (v: number | undefined) => (v !== undefined && Number.isFinite(v) ? v : undefined);

/** Config paths tried, first hit wins (trainer configs nest their recipe under `train`/`training`/`optimizer`). */
const PATHS = {
  datasetId: ['dataset.id', 'data.id', 'dataset_id', 'datasetId', 'data.dataset_id'],
  datasetVersion: ['dataset.contentHash', 'dataset.hash', 'dataset.version', 'data.hash', 'dataset_version'],
  datasetLicense: ['dataset.license', 'data.license', 'dataset_license'],
  epochs: ['epochs', 'train.epochs', 'training.epochs', 'recipe.epochs'],
  batchSize: [
    'batchSize',
    'batch_size',
    'train.batchSize',
    'training.batchSize',
    'train.batch_size',
    'recipe.batchSize',
  ],
  lr: [
    'lr',
    'learningRate',
    'learning_rate',
    'train.lr',
    'training.lr',
    'train.learningRate',
    'optimizer.lr',
    'optimizer.learningRate',
    'recipe.lr',
  ],
  optimizer: [
    'optimizer.name',
    'optimizer.type',
    'optimizer',
    'train.optimizer',
    'training.optimizer',
    'recipe.optimizer',
  ],
  loss: ['loss', 'train.loss', 'model.loss', 'recipe.loss'],
};

/** The `training` block of the registry entry, from the run: real duration, final losses, commit, hardware. */
export function trainingBlock(run: RunForEntry): TrainingMetadata {
  const c = [run.config, run.system ?? {}];
  const m = run.lastMetrics;
  const block: TrainingMetadata = {
    dataset_id: str(lookup(c, PATHS.datasetId)),
    dataset_version: str(lookup(c, PATHS.datasetVersion)),
    dataset_license: str(lookup(c, PATHS.datasetLicense)),
    epochs: int(lookup(c, PATHS.epochs)),
    batch_size: int(lookup(c, PATHS.batchSize)),
    learning_rate: num(lookup(c, PATHS.lr)),
    optimizer: str(lookup(c, PATHS.optimizer)),
    loss: str(lookup(c, PATHS.loss)),
    // the trainer logs per-epoch `epoch_train_loss`/`val_loss` and, for the exported (best-epoch) model, `final_val_loss`
    train_loss: finite(m.epoch_train_loss ?? m.train_loss ?? m.loss),
    val_loss: finite(m.final_val_loss ?? m.val_loss),
    test_loss: finite(m.final_test_loss ?? m.test_loss),
    run_id: run.id,
    git_commit: run.gitCommit ?? undefined,
    training_date: new Date(run.endedAt ?? run.startedAt).toISOString(),
    hardware: run.hardware ?? undefined,
    duration_seconds: num(
      run.durationS ?? (run.endedAt !== null ? (run.endedAt - run.startedAt) / 1000 : undefined),
    ),
  };
  return Object.fromEntries(Object.entries(block).filter(([, v]) => v !== undefined));
}

export interface EntryInput {
  modelId: string;
  version: number;
  summary: RtneuralSummary;
  run: RunForEntry;
  note?: string;
  /** Real-time budget per frame in ms (the realtime gate's budget), written as `inference_target_ms`. */
  inferenceTargetMs?: number;
}

/**
 * The registry v1.1 entry for a promoted version (status `production`; `exports.sha256` set by publishModel); a melody
 * run's note decoding goes in `note_decoding` (see note-decoding-entry.ts).
 */
export function buildModelEntry(e: EntryInput): ModelEntry {
  const noteDecoding = noteDecodingEntry(e.run.config, e.run.id);
  return {
    id: e.modelId,
    file: `${e.modelId}.json`,
    format: 'rtneural-json',
    model_type: 'RTNeural',
    task: taskFor(e.modelId),
    input_size: e.summary.inputSize,
    output_size: e.summary.outputSize,
    status: 'production',
    note: e.note ?? `v${e.version} from run ${e.run.id}`,
    arch_hint: e.summary.archHint,
    params_estimate: formatParams(e.summary.params),
    ...(e.inferenceTargetMs !== undefined ? { inference_target_ms: e.inferenceTargetMs } : {}),
    training: trainingBlock(e.run),
    ...(noteDecoding ? { note_decoding: noteDecoding } : {}),
    exports: {},
  };
}
