import { z } from 'zod';

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
