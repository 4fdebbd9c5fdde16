import { z } from 'zod';

/**
 * A number as Python's `json.dump` writes it: any float, including NaN, +Infinity and -Infinity
 * (zod's `z.number()` rejects those, so this is a custom check).
 */
export const pyNumber = z.custom<number>((v) => typeof v === 'number', {
  message: 'expected a number (NaN and Infinity allowed)',
});

/**
 * `TrainConfig.to_dict()` of the legacy `scripts/train.py` (see ../shared/fixtures/legacy-logs/README.md).
 * Every field is optional so that older and newer trainer versions still read; unknown keys are kept.
 */
export const TrainConfigSchema = z.looseObject({
  model_id: z.string().optional(),
  model_type: z.string().optional(),
  task: z.string().optional(),
  input_size: pyNumber.optional(),
  output_size: pyNumber.optional(),
  hidden_layers: z.array(pyNumber).optional(),
  activation: z.string().optional(),
  dropout: pyNumber.optional(),
  architecture_type: z.string().optional(),
  data_path: z.string().optional(),
  epochs: pyNumber.optional(),
  batch_size: pyNumber.optional(),
  learning_rate: pyNumber.optional(),
  loss: z.string().optional(),
  early_stopping_patience: pyNumber.optional(),
  min_delta: pyNumber.optional(),
  labels: z.array(z.string()).optional(),
});
export type TrainConfig = z.infer<typeof TrainConfigSchema>;

/**
 * `TrainRun.save()`: `json.dump(asdict(run), indent=2, default=str)`.
 * `run_id`, `config` and `success` are required (without them the file cannot become a run);
 * the rest are always present in real files but tolerated as missing. Unknown keys are kept.
 */
export const TrainRunSchema = z.looseObject({
  /** `{model_id}_{YYYYMMDD_HHMMSS}`, local wall clock; the model id may itself contain `_`. */
  run_id: z.string().regex(/\S/, 'run_id must not be blank'),
  config: TrainConfigSchema,
  /** First 12 hex chars of HEAD, or "unknown". */
  git_commit: z.string().optional(),
  hardware: z.string().optional(),
  /** `datetime.now().isoformat()`: naive local time, no offset. */
  start_time: z.string().optional(),
  end_time: z.string().optional(),
  /** Seconds, microsecond precision. */
  duration_seconds: pyNumber.optional(),
  final_train_loss: pyNumber.optional(),
  final_val_loss: pyNumber.optional(),
  /** From the reloaded `best.pt`, possibly another run's checkpoint. */
  final_test_loss: pyNumber.optional(),
  /** 1-based; 0 = never improved. */
  best_epoch: pyNumber.optional(),
  /** `float("inf")` until an epoch improves it. */
  best_val_loss: pyNumber.optional(),
  /** Absolute paths as recorded on the training machine, in export order. */
  output_files: z.array(z.string()).optional(),
  success: z.boolean(),
  /** `str(exception)`; "" on success and on Ctrl-C. */
  error: z.string().optional(),
});
export type TrainRun = z.infer<typeof TrainRunSchema>;
