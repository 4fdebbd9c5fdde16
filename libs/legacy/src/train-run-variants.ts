import { LEGACY_HISTORY_SERIES } from '@kelly/tracking';

// The shapes `TrainRun.save()` had over the versions of the old `scripts/train.py`, and the names it used.

/** `TrainConfig.to_dict()` fields, in the order the trainer wrote them. */
export const TRAIN_CONFIG_FIELDS = [
  'model_id',
  'model_type',
  'task',
  'input_size',
  'output_size',
  'hidden_layers',
  'activation',
  'dropout',
  'architecture_type',
  'data_path',
  'data_version',
  'sample_rate',
  'n_mels',
  'n_fft',
  'hop_length',
  'max_duration',
  'train_split',
  'val_split',
  'test_split',
  'epochs',
  'batch_size',
  'learning_rate',
  'weight_decay',
  'optimizer',
  'loss',
  'scheduler',
  'warmup_epochs',
  'early_stopping_patience',
  'min_delta',
  'device',
  'num_workers',
  'pin_memory',
  'output_dir',
  'export_onnx',
  'export_coreml',
  'log_interval',
  'save_interval',
  'author',
  'notes',
  'labels',
] as const;

/** Config fields that hold numbers (written as strings by `default=str` from numpy values). */
export const NUMERIC_CONFIG_FIELDS = new Set<string>([
  'input_size',
  'output_size',
  'dropout',
  'sample_rate',
  'n_mels',
  'n_fft',
  'hop_length',
  'max_duration',
  'train_split',
  'val_split',
  'test_split',
  'epochs',
  'batch_size',
  'learning_rate',
  'weight_decay',
  'warmup_epochs',
  'early_stopping_patience',
  'min_delta',
  'num_workers',
  'log_interval',
  'save_interval',
]);

export const BOOLEAN_CONFIG_FIELDS = new Set<string>(['pin_memory', 'export_onnx', 'export_coreml']);

/** Top-level numeric fields of the current `TrainRun`. */
export const NUMERIC_RUN_FIELDS = [
  'duration_seconds',
  'final_train_loss',
  'final_val_loss',
  'final_test_loss',
  'best_epoch',
  'best_val_loss',
] as const;

export const STRING_RUN_FIELDS = ['git_commit', 'hardware', 'start_time', 'end_time', 'error'] as const;

/** Names earlier `TrainRun` versions used for today's fields (a scalar there; an array is a history). */
export const OLD_FIELD_NAMES: Record<string, string> = {
  train_loss: 'final_train_loss',
  val_loss: 'final_val_loss',
  test_loss: 'final_test_loss',
  training_date: 'start_time',
  duration: 'duration_seconds',
};

/**
 * Per-epoch history arrays (top-level `train_losses`, or keys of a `history` object) → the metric series they
 * become: the trainer's names, from the shared vocabulary of @kelly/tracking.
 */
export const HISTORY_FIELDS = LEGACY_HISTORY_SERIES;

/** `status` strings of earlier versions → the run's outcome. */
export const STATUS_WORDS: Record<string, 'success' | 'failed' | 'interrupted'> = {
  trained: 'success',
  success: 'success',
  succeeded: 'success',
  successful: 'success',
  completed: 'success',
  complete: 'success',
  done: 'success',
  finished: 'success',
  ok: 'success',
  failed: 'failed',
  failure: 'failed',
  error: 'failed',
  errored: 'failed',
  crashed: 'failed',
  interrupted: 'interrupted',
  killed: 'interrupted',
  cancelled: 'interrupted',
  canceled: 'interrupted',
  stopped: 'interrupted',
  aborted: 'interrupted',
};

/** Every top-level key that marks a document as a run log (today's and earlier versions'). */
export const RUN_MARKER_FIELDS = [
  'run_id',
  'config',
  'git_commit',
  'hardware',
  'start_time',
  'end_time',
  'training_date',
  'duration_seconds',
  'final_train_loss',
  'final_val_loss',
  'final_test_loss',
  'train_loss',
  'val_loss',
  'test_loss',
  'best_epoch',
  'best_val_loss',
  'output_files',
  'success',
  'status',
  'error',
];
