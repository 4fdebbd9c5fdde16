import { z } from 'zod';
import { pyNumber } from './train-run-schema';

/**
 * zod schemas for the other JSON files the old Kelly pipeline wrote (see
 * ../shared/fixtures/kelly/SOURCES.md). All objects keep unknown keys (`looseObject`).
 * `models/registry.json` is described in registry-json.ts, next to the strict schema the registry writes.
 */

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
