import { z } from 'zod';
import { pyNumber } from './train-run-schema';

/**
 * zod schemas for the other JSON files the old Kelly pipeline wrote (see
 * ../shared/fixtures/kelly/SOURCES.md). All objects keep unknown keys (`looseObject`).
 */

/** `models/registry.json` `training` block (v1.1). Stubs hold zeros and empty strings. */
export const RegistryTrainingSchema = z.looseObject({
  dataset_id: z.string().optional(),
  dataset_version: z.string().optional(),
  dataset_license: z.string().optional(),
  epochs: pyNumber.optional(),
  batch_size: pyNumber.optional(),
  learning_rate: pyNumber.optional(),
  optimizer: z.string().optional(),
  loss: z.string().optional(),
  train_loss: pyNumber.optional(),
  val_loss: pyNumber.optional(),
  test_loss: pyNumber.optional(),
  /** Empty on stubs. */
  run_id: z.string().optional(),
  git_commit: z.string().optional(),
  /** Naive local ISO time of the run start, "" on stubs. */
  training_date: z.string().optional(),
  hardware: z.string().optional(),
  /** Always 0.0 in the old registry (a bug), so never trust it. */
  duration_seconds: pyNumber.optional(),
});

export const RegistryExportsSchema = z.looseObject({
  sha256: z.string().optional(),
  onnx_path: z.string().optional(),
  onnx_sha256: z.string().optional(),
  coreml_path: z.string().optional(),
  coreml_sha256: z.string().optional(),
});

/**
 * One model entry, v1.0 (flat `training_data`, `sha256`, `onnx_path`, `coreml_path`) or v1.1
 * (`training` / `exports` / `integration` blocks). Status: stub | training | trained | production | deprecated.
 */
export const RegistryModelSchema = z.looseObject({
  id: z.string().min(1),
  file: z.string().optional(),
  format: z.string().optional(),
  model_type: z.string().optional(),
  task: z.string().optional(),
  input_size: pyNumber.optional(),
  output_size: pyNumber.optional(),
  status: z.string(),
  note: z.string().optional(),
  arch_hint: z.string().optional(),
  training: RegistryTrainingSchema.optional(),
  exports: RegistryExportsSchema.optional(),
  integration: z.record(z.string(), z.unknown()).optional(),
  // v1.0 flat fields
  training_data: z.string().optional(),
  sha256: z.string().optional(),
  onnx_path: z.string().optional(),
  coreml_path: z.string().optional(),
  license: z.string().optional(),
});
export type RegistryModel = z.infer<typeof RegistryModelSchema>;

/**
 * A stray top-level key appended by `verify_and_integrate_models.py` (`status: "integrated"`,
 * `source: "RECOVERY_OPS"`), e.g. `bestmodel`, `checkpointepoch0001`.
 */
export const RegistryStrayEntrySchema = z.looseObject({
  status: z.string(),
  source: z.string().optional(),
  architecture: z.string().optional(),
  num_parameters: pyNumber.optional(),
  checkpoint_epoch: pyNumber.optional(),
  file_size_mb: pyNumber.optional(),
  validated: z.boolean().optional(),
});

/** `models/registry.json`, every version seen ("1.0", "1.1"). */
export const RegistrySchema = z.looseObject({
  $schema: z.string().optional(),
  registry_version: z.string(),
  generated_at: z.string().optional(),
  description: z.string().optional(),
  models: z.array(RegistryModelSchema),
});
export type Registry = z.infer<typeof RegistrySchema>;

/** The stray top-level entries of a registry (every object-valued key other than the known ones). */
export function registryStrayEntries(
  registry: Registry,
): Record<string, z.infer<typeof RegistryStrayEntrySchema>> {
  const known = new Set(['$schema', 'registry_version', 'generated_at', 'description', 'models']);
  const out: Record<string, z.infer<typeof RegistryStrayEntrySchema>> = {};
  for (const [key, value] of Object.entries(registry)) {
    if (known.has(key)) continue;
    const parsed = RegistryStrayEntrySchema.safeParse(value);
    if (parsed.success) out[key] = parsed.data;
  }
  return out;
}

/** `checkpoints/<model>/results.json` of `scripts/train_model.py`. `config` keys are alphabetical. */
export const CheckpointResultsSchema = z.looseObject({
  config: z.looseObject({ model_id: z.string().optional(), model_type: z.string().optional() }),
  results: z.looseObject({
    best_val_loss: pyNumber.optional(),
    /** Seconds. */
    total_time: pyNumber.optional(),
    test_results: z.record(z.string(), pyNumber).optional(),
  }),
  /** Naive local ISO time. */
  timestamp: z.string().optional(),
});
export type CheckpointResults = z.infer<typeof CheckpointResultsSchema>;

/** `training_curves.json` (older miDiKompanion trainer): one loss per epoch; `best_epoch` is 0-based. */
export const TrainingCurvesSchema = z.looseObject({
  train_losses: z.array(pyNumber),
  val_losses: z.array(pyNumber),
  best_epoch: pyNumber.optional(),
  best_val_loss: pyNumber.optional(),
});
export type TrainingCurves = z.infer<typeof TrainingCurvesSchema>;

/** `training_results_worker_*.json` of `scripts/parallel_train.py`: an array; `model` is a CLI key. */
export const WorkerResultsSchema = z.array(
  z.looseObject({
    model: z.string(),
    status: z.string(),
    duration_seconds: pyNumber.optional(),
    output: z.string().optional(),
  }),
);
export type WorkerResults = z.infer<typeof WorkerResultsSchema>;

/** A boolean the Python writer sometimes stringified (`"True"` / `"False"` from numpy bools). */
const pyBool = z.union([
  z.boolean(),
  z.enum(['True', 'False', 'true', 'false']).transform((s) => s.toLowerCase() === 'true'),
]);

/** `validation_results.json` of `scripts/validate_model_inference.py`, keyed by model id. */
export const ValidationResultsSchema = z.record(
  z.string(),
  z.looseObject({
    success: pyBool,
    model_name: z.string().optional(),
    param_count: pyNumber.optional(),
    shape_valid: pyBool.optional(),
    /** Milliseconds per inference. */
    latency_stats: z.record(z.string(), pyNumber).optional(),
    latency_ok: pyBool.optional(),
    edge_passed: pyNumber.optional(),
    edge_total: pyNumber.optional(),
  }),
);
export type ValidationResults = z.infer<typeof ValidationResultsSchema>;
