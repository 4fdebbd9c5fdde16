import { z } from 'zod';
import { pyNumber } from './train-run-schema';

/**
 * `models/registry.json`, described twice on purpose, side by side:
 * - the tolerant reader (`RegistrySchema`, `RegistryModelSchema`, …) accepts every file the old Python pipeline
 *   wrote (v1.0 and v1.1, stubs, Python numbers, stray top-level keys); legacy ingestion and the legacy registry
 *   import read old files with it;
 * - the strict writer (`RegistryFileSchema`, `ModelEntrySchema`, …) is what `@kelly/registry` publishes and
 *   re-reads: it mirrors `registry.schema.json` field by field.
 */

// ---- tolerant reader: old files as the Python pipeline wrote them ----

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

// ---- strict writer: the v1.1 file the plugin loader reads ----

/**
 * The Kelly registry file (`models/registry.json`, format v1.1) that the plugin loader reads, as a zod schema
 * mirroring `registry.schema.json` (JSON Schema draft-07) field by field: the same required keys, enums, integer
 * and minimum constraints, id pattern and `date-time` format. Like the JSON Schema it allows unknown keys
 * (the old files carry `heads`, `thesaurus` and stray top-level keys), so objects are `looseObject`s.
 * The tests check this mirror against the real schema file with ajv, on the real registry files.
 */

export const REGISTRY_FORMATS = ['rtneural-json', 'onnx', 'coreml', 'pytorch', 'tensorflow'] as const;
export const REGISTRY_TASKS = [
  'emotion_embedding',
  'melody_generation',
  'harmony_prediction',
  'dynamics_mapping',
  'groove_prediction',
  'key_detection',
  'intent_mapping',
  'audio_classification',
  'instrument_recognition',
  'dual_instrument_recognition',
  'emotion_node_classification',
  'custom',
] as const;
export type RegistryTask = (typeof REGISTRY_TASKS)[number];
export const REGISTRY_STATUSES = ['stub', 'training', 'trained', 'production', 'deprecated'] as const;
export type RegistryStatus = (typeof REGISTRY_STATUSES)[number];

/** RFC 3339 date-time as JSON Schema's `format: date-time` requires (a time-zone offset is mandatory). */
const dateTime = z.iso.datetime({ offset: true, local: false });
const nonNegInt = z.number().int().min(0);
const nonNeg = z.number().min(0);

export const TrainingMetadataSchema = z.looseObject({
  dataset_id: z.string().optional(),
  dataset_version: z.string().optional(),
  dataset_license: z.string().optional(),
  epochs: nonNegInt.optional(),
  batch_size: nonNegInt.optional(),
  learning_rate: nonNeg.optional(),
  optimizer: z.string().optional(),
  loss: z.string().optional(),
  train_loss: z.number().optional(),
  val_loss: z.number().optional(),
  test_loss: z.number().optional(),
  run_id: z.string().optional(),
  git_commit: z.string().optional(),
  training_date: dateTime.optional(),
  hardware: z.string().optional(),
  duration_seconds: nonNeg.optional(),
});
export type TrainingMetadata = z.infer<typeof TrainingMetadataSchema>;

export const ExportMetadataSchema = z.looseObject({
  sha256: z.string().optional(),
  onnx_path: z.string().optional(),
  onnx_sha256: z.string().optional(),
  coreml_path: z.string().optional(),
  coreml_sha256: z.string().optional(),
});

export const IntegrationStatusSchema = z.looseObject({
  python_api: z.boolean().optional(),
  cpp_mlinterface: z.boolean().optional(),
  tauri_ui: z.boolean().optional(),
  fallback_available: z.boolean().optional(),
});

export const ModelEntrySchema = z.looseObject({
  id: z.string().regex(/^[a-z0-9_]+$/, 'lowercase letters, digits and _ only'),
  file: z.string(),
  format: z.enum(REGISTRY_FORMATS),
  model_type: z.string().optional(),
  task: z.enum(REGISTRY_TASKS),
  input_size: z.number().int().min(1),
  output_size: z.number().int().min(1),
  status: z.enum(REGISTRY_STATUSES),
  note: z.string().optional(),
  arch_hint: z.string().optional(),
  params_estimate: z.string().optional(),
  inference_target_ms: nonNeg.optional(),
  training: TrainingMetadataSchema.optional(),
  exports: ExportMetadataSchema.optional(),
  integration: IntegrationStatusSchema.optional(),
  model_card: z.string().optional(),
  license: z.string().optional(),
});
export type ModelEntry = z.infer<typeof ModelEntrySchema>;

export const RegistryFileSchema = z.looseObject({
  $schema: z.string().optional(),
  registry_version: z.string().regex(/^[0-9]+\.[0-9]+$/, 'like "1.1"'),
  generated_at: dateTime.optional(),
  description: z.string().optional(),
  models: z.array(ModelEntrySchema),
});
export type RegistryFile = z.infer<typeof RegistryFileSchema>;

/** Registry format version this code writes. */
export const REGISTRY_VERSION = '1.1';

/** Thrown when a registry file does not parse or does not match the v1.1 format; names the file and field. */
export class RegistryFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
  }
}

/** Validates an already parsed registry document; throws RegistryFileError naming `file` and the first bad field. */
export function checkRegistryFile(doc: unknown, file: string): RegistryFile {
  const parsed = RegistryFileSchema.safeParse(doc);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? issue.path.map(String).join('.') : '(root)';
  throw new RegistryFileError(
    file,
    `not a Kelly registry v1.x file: ${where}: ${issue?.message ?? 'invalid'}`,
  );
}

/** Parses registry JSON text (strict JSON; a BOM is tolerated) and validates it. */
export function parseRegistryText(text: string, file: string): RegistryFile {
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new RegistryFileError(file, `not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  return checkRegistryFile(doc, file);
}
