import type { z } from 'zod';
import {
  CheckpointResultsSchema,
  TrainingCurvesSchema,
  ValidationResultsSchema,
  WorkerResultsSchema,
  type CheckpointResults,
  type TrainingCurves,
  type ValidationResults,
  type WorkerResults,
} from './kelly-formats';
import { normalizeTrainRun, type NormalizedTrainRun } from './normalize-train-run';
import { RegistrySchema, type Registry } from './registry-json';
import type { TrainRun } from './train-run-schema';
import { RUN_MARKER_FIELDS } from './train-run-variants';

/** The legacy formats that have a parser. Only `train-run` becomes a run; the others are model history or extras. */
export type LegacyFormat =
  | 'train-run'
  | 'registry'
  | 'checkpoint-results'
  | 'training-curves'
  | 'worker-results'
  | 'validation-results';

export type LegacyDocument =
  | { format: 'train-run'; data: TrainRun; read: Omit<NormalizedTrainRun, 'run'> }
  | { format: 'registry'; data: Registry }
  | { format: 'checkpoint-results'; data: CheckpointResults }
  | { format: 'training-curves'; data: TrainingCurves }
  | { format: 'worker-results'; data: WorkerResults }
  | { format: 'validation-results'; data: ValidationResults };

/**
 * What a parsed JSON document is:
 * - a recognised legacy format whose schema it passes;
 * - `invalid`: it has the shape of a format (`looksLike`) but fails its schema (`reason` names the field);
 * - `ignored`: valid JSON of no legacy format (`looksLike` says what it appears to be).
 */
export type Classification =
  | LegacyDocument
  | { format: 'invalid'; looksLike: LegacyFormat; reason: string }
  | { format: 'ignored'; looksLike: string };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Fields that say how a run went; a document with none of them (an RTNeural model file with run metadata) is no run log. */
const OUTCOME_FIELDS = [
  'success',
  'status',
  'error',
  'end_time',
  'duration_seconds',
  'final_train_loss',
  'final_val_loss',
  'final_test_loss',
  'train_loss',
  'val_loss',
  'test_loss',
  'best_val_loss',
  'best_epoch',
];

/**
 * A run log of any `TrainRun` version: it names the run (`run_id`, `config` or a flattened `model_id`), has at
 * least three run fields of today's or earlier versions, one of which says how it went. A checkpoint
 * `results.json` (config + results, no run id), a `training_curves.json` (curves only) and an RTNeural model
 * file (`layers`, with run metadata but no outcome) are not run logs.
 */
function looksLikeTrainRun(value: Obj): boolean {
  const names = 'run_id' in value || 'config' in value || 'model_id' in value;
  if (!names || !OUTCOME_FIELDS.some((k) => k in value)) return false;
  if (isObj(value.results) && !('run_id' in value)) return false;
  return RUN_MARKER_FIELDS.filter((k) => k in value).length >= 3;
}

/**
 * Decides which legacy format `value` (the output of `parsePythonJson`) is; a run log of any version is read
 * into today's shape by `normalizeTrainRun` (`fileName` supplies a missing run id). Never throws.
 */
export function classifyLegacyDocument(value: unknown, fileName?: string): Classification {
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every((v) => isObj(v) && 'model' in v && 'status' in v)) {
      return check('worker-results', WorkerResultsSchema, value);
    }
    return { format: 'ignored', looksLike: `a JSON array of ${value.length} item(s)` };
  }
  if (!isObj(value)) {
    return {
      format: 'ignored',
      looksLike: `a bare JSON ${value === null ? 'null' : typeof value}, not an object`,
    };
  }
  const keys = Object.keys(value);
  if (looksLikeTrainRun(value)) {
    try {
      const { run, ...read } = normalizeTrainRun(value, fileName);
      return { format: 'train-run', data: run, read };
    } catch (e) {
      // normalizeTrainRun accepts every object; a failure here is a bug, reported with the file
      const reason = e instanceof Error ? e.message.split('\n')[0] : String(e);
      return { format: 'invalid', looksLike: 'train-run', reason: `could not be read: ${reason}` };
    }
  }
  if (
    'registry_version' in value ||
    (Array.isArray(value.models) && value.models.some((m) => isObj(m) && 'status' in m))
  ) {
    return check('registry', RegistrySchema, value);
  }
  if (isObj(value.results) && isObj(value.config))
    return check('checkpoint-results', CheckpointResultsSchema, value);
  if (Array.isArray(value.train_losses) || Array.isArray(value.val_losses)) {
    return check('training-curves', TrainingCurvesSchema, value);
  }
  const entries = Object.values(value);
  if (entries.length > 0 && entries.every((v) => isObj(v) && ('latency_stats' in v || 'shape_valid' in v))) {
    return check('validation-results', ValidationResultsSchema, value);
  }
  return { format: 'ignored', looksLike: describeOther(value, keys) };
}

function check<F extends LegacyFormat>(format: F, schema: z.ZodType, value: unknown): Classification {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { format, data: parsed.data } as LegacyDocument;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : '(document)';
  return { format: 'invalid', looksLike: format, reason: `field ${where}: ${issue?.message ?? 'invalid'}` };
}

/** A short human description of a JSON object that is none of the legacy formats. */
function describeOther(value: Obj, keys: string[]): string {
  const known: [boolean, string][] = [
    [Array.isArray(value.layers), 'an RTNeural-style model file (layers[])'],
    [Array.isArray(value.evaluations), 'an AI-orchestrator evaluation (evaluations[])'],
    [Array.isArray(value.plans), 'an AI-orchestrator training plan (plans[])'],
    ['models_found' in value && Array.isArray(value.details), 'a model integration report'],
    ['platform' in value && isObj(value.results), 'a performance benchmark report'],
    [typeof value.$schema === 'string' && ('definitions' in value || 'properties' in value), 'a JSON Schema'],
    ['input_checksum' in value && 'output_checksum' in value, 'a golden-vector record'],
    [
      'sub_emotions' in value || 'dyadic_blends' in value || 'base_emotions' in value,
      'an emotion thesaurus file',
    ],
  ];
  const hit = known.find(([yes]) => yes);
  const shown = keys.slice(0, 6).join(', ') + (keys.length > 6 ? ', …' : '');
  const shape =
    keys.length === 0 ? 'an empty JSON object' : `a JSON object with keys ${shown} (${keys.length} keys)`;
  return hit ? `${hit[1]}: ${shape}` : shape;
}
