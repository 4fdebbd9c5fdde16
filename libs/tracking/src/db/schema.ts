/**
 * The tracking store's schema (SQLite via drizzle-orm). Also exported as the seam `@kelly/tracking/schema` so
 * other libs' modules (legacy ingestion, model registry) can read and write their own tables here.
 *
 * Conventions: every `*_at` column is Unix epoch milliseconds (INTEGER); durations are seconds (REAL);
 * JSON columns keep NaN/±Infinity faithfully (see json-column.ts). Changing this file means running
 * `npx drizzle-kit generate` in libs/tracking and committing the new migration under libs/tracking/drizzle/.
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { json } from './json-column';

import { RUN_SOURCES, RUN_STATUSES } from './run-enums';

export { RUN_SOURCES, RUN_STATUSES, type RunSource, type RunStatus } from './run-enums';
export const SEVERITIES = ['error', 'warning'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** JSON object as stored in config/system/summary columns. */
export type JsonObject = { [key: string]: unknown };

/** One experiment per model, e.g. `melodytransformer`. */
export const experiments = sqliteTable('experiments', {
  name: text('name').primaryKey(),
  description: text('description'),
  createdAt: integer('created_at').notNull(),
});

export const runs = sqliteTable(
  'runs',
  {
    id: text('id').primaryKey(),
    experiment: text('experiment')
      .notNull()
      .references(() => experiments.name),
    name: text('name'),
    status: text('status', { enum: RUN_STATUSES }).notNull(),
    source: text('source', { enum: RUN_SOURCES }).notNull().default('live'),
    startedAt: integer('started_at').notNull(),
    endedAt: integer('ended_at'),
    durationS: real('duration_s'),
    gitCommit: text('git_commit'),
    hardware: text('hardware'),
    /** tfjs backend that ran, e.g. `tensorflow`, `wasm`, `cpu`. */
    backend: text('backend'),
    host: text('host'),
    /** tfjs version, node version, cpu model, threads, ... */
    system: json('system').$type<JsonObject>(),
    tags: json('tags')
      .$type<string[]>()
      .notNull()
      .default(sql`'[]'`),
    notes: text('notes'),
    errorType: text('error_type'),
    errorMessage: text('error_message'),
    errorStack: text('error_stack'),
    heartbeatAt: integer('heartbeat_at'),
    pid: integer('pid'),
    /** The run's config kept whole (nested JSON); params are its flattened leaves (`flattenConfig`). */
    config: json('config')
      .$type<JsonObject>()
      .notNull()
      .default(sql`'{}'`),
    /** Hash of the run's content, set by importers; drives the `duplicate` rule. */
    contentHash: text('content_hash'),
    /** Legacy: the source file no longer exists on disk. */
    sourceMissing: integer('source_missing', { mode: 'boolean' }).notNull().default(false),
    /** What a legacy file reports about itself, e.g. `{ final_train_loss, best_val_loss, epochs }`. */
    summary: json('summary').$type<JsonObject>(),
  },
  (t) => [
    index('runs_started_idx').on(t.startedAt, t.id),
    index('runs_experiment_started_idx').on(t.experiment, t.startedAt),
    index('runs_status_idx').on(t.status),
    index('runs_content_hash_idx').on(t.contentHash),
  ],
);

/**
 * Metric points. SQLite stores NaN as NULL, so non-finite values are kept in `flag`:
 * 0 finite (value holds it), 1 NaN, 2 +Infinity, 3 -Infinity (value is NULL for 1..3).
 */
export const metrics = sqliteTable(
  'metrics',
  {
    id: integer('id').primaryKey(),
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    step: integer('step').notNull(),
    epoch: integer('epoch'),
    wallTime: integer('wall_time').notNull(),
    value: real('value'),
    flag: integer('flag').notNull().default(0),
  },
  (t) => [
    index('metrics_run_key_step_idx').on(t.runId, t.key, t.step),
    /** Non-finite and zero points: always kept by downsampling, found without a scan. */
    index('metrics_special_idx')
      .on(t.runId, t.key, t.step)
      .where(sql`flag != 0 OR value = 0`),
  ],
);

/**
 * Min/max rollups of each metric series, written with the points: level 1 buckets hold 64 consecutive points of
 * one (run, key), level 2 buckets 4096 (bucket = point index in the series / size). Non-finite points are left
 * out of min/max (they are always fetched individually). Lets compareRuns downsample without reading every point.
 */
export const metricRollups = sqliteTable(
  'metric_rollups',
  {
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    level: integer('level').notNull(),
    bucket: integer('bucket').notNull(),
    /** Points in the bucket, non-finite included. */
    count: integer('count').notNull(),
    firstStep: integer('first_step').notNull(),
    lastStep: integer('last_step').notNull(),
    minValue: real('min_value'),
    minStep: integer('min_step'),
    minEpoch: integer('min_epoch'),
    minWall: integer('min_wall'),
    maxValue: real('max_value'),
    maxStep: integer('max_step'),
    maxEpoch: integer('max_epoch'),
    maxWall: integer('max_wall'),
  },
  (t) => [primaryKey({ columns: [t.runId, t.key, t.level, t.bucket] })],
);

export const artifacts = sqliteTable(
  'artifacts',
  {
    id: integer('id').primaryKey(),
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    name: text('name'),
    /** Relative to the artifact root for live runs; as recorded by the legacy file for legacy runs. */
    path: text('path').notNull(),
    sha256: text('sha256'),
    bytes: integer('bytes'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('artifacts_run_idx').on(t.runId)],
);
/**
 * A stored artifact: `path` relative to the artifact root (live runs); `sha256` of the file, or of the sorted
 * `relpath\0sha256\n` manifest for a directory. The one artifact type (queries omit `runId`).
 */
export type ArtifactRecord = typeof artifacts.$inferSelect;

/** MIME types `run.logMedia` stores (WAV audio, PNG images); the artifact route serves them as such. */
export const MEDIA_TYPES = ['audio/wav', 'image/png'] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];

/**
 * Media logged by a run (`run.logMedia`): one file per (key, step), stored as an artifact (kind `media`) under
 * `<artifacts>/<runId>/media/<key>/<step>.<ext>`; this table indexes them for the dashboard's media panel.
 * `meta`: audio `{ sampleRate, durationS }`, image `{ width, height }`.
 */
export const media = sqliteTable(
  'media',
  {
    id: integer('id').primaryKey(),
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    artifactId: integer('artifact_id')
      .notNull()
      .references(() => artifacts.id, { onDelete: 'cascade' }),
    /** Slash-separated name, e.g. `clip/melody-000017/piano-roll`; the same key at several steps is one series. */
    key: text('key').notNull(),
    step: integer('step').notNull(),
    epoch: integer('epoch'),
    mime: text('mime', { enum: MEDIA_TYPES }).notNull(),
    caption: text('caption'),
    bytes: integer('bytes').notNull(),
    meta: json('meta').$type<JsonObject>(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('media_run_key_step_idx').on(t.runId, t.key, t.step)],
);

export const anomalies = sqliteTable(
  'anomalies',
  {
    id: integer('id').primaryKey(),
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    rule: text('rule').notNull(),
    severity: text('severity', { enum: SEVERITIES }).notNull(),
    firstStep: integer('first_step'),
    evidence: json('evidence').$type<JsonObject>().notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('anomalies_run_idx').on(t.runId, t.rule), index('anomalies_rule_idx').on(t.rule, t.runId)],
);

// ---------------------------------------------------------------- legacy ingestion (issue 4)

export const INGEST_OUTCOMES = [
  'imported',
  'duplicate',
  /** Same run id as the file a run shows, different content: not imported; the reason says what differs. */
  'conflict',
  'updated',
  'unparseable',
  'ignored',
  'missing',
] as const;
export type IngestOutcome = (typeof INGEST_OUTCOMES)[number];

export const ingestFiles = sqliteTable(
  'ingest_files',
  {
    id: integer('id').primaryKey(),
    /** Absolute path of the file. */
    path: text('path').notNull(),
    dir: text('dir').notNull(),
    relPath: text('rel_path').notNull(),
    sha256: text('sha256'),
    bytes: integer('bytes'),
    mtime: integer('mtime'),
    outcome: text('outcome', { enum: INGEST_OUTCOMES }).notNull(),
    reason: text('reason'),
    /** Where parsing failed, for unparseable files. */
    byteOffset: integer('byte_offset'),
    format: text('format'),
    runId: text('run_id').references(() => runs.id, { onDelete: 'set null' }),
    duplicateOfFileId: integer('duplicate_of_file_id'),
    rawText: text('raw_text'),
    firstSeenAt: integer('first_seen_at').notNull(),
    lastSeenAt: integer('last_seen_at').notNull(),
  },
  (t) => [
    uniqueIndex('ingest_files_path_idx').on(t.path),
    index('ingest_files_sha_idx').on(t.sha256),
    index('ingest_files_run_idx').on(t.runId),
  ],
);

/** One `ingest_files` row (camelCase, times epoch ms): the one ingest-row type of the importer and its queries. */
export type IngestFileRecord = typeof ingestFiles.$inferSelect;

/** Earlier versions of a file that changed after it was first ingested. */
export const ingestFileVersions = sqliteTable(
  'ingest_file_versions',
  {
    id: integer('id').primaryKey(),
    fileId: integer('file_id')
      .notNull()
      .references(() => ingestFiles.id, { onDelete: 'cascade' }),
    sha256: text('sha256'),
    rawText: text('raw_text'),
    runId: text('run_id'),
    seenAt: integer('seen_at').notNull(),
  },
  (t) => [index('ingest_file_versions_file_idx').on(t.fileId)],
);

export const watchers = sqliteTable('watchers', {
  id: integer('id').primaryKey(),
  dir: text('dir').notNull(),
  pid: integer('pid'),
  host: text('host'),
  startedAt: integer('started_at').notNull(),
  heartbeatAt: integer('heartbeat_at'),
  lastScanAt: integer('last_scan_at'),
  stoppedAt: integer('stopped_at'),
});

// ---------------------------------------------------------------- model registry (issue 9)

export const MODEL_ALIASES = ['candidate', 'staging', 'production'] as const;
export type ModelAlias = (typeof MODEL_ALIASES)[number];
export const REGISTRY_ACTIONS = ['promote', 'rollback', 'import', 'register'] as const;
export type RegistryAction = (typeof REGISTRY_ACTIONS)[number];

export const registeredModels = sqliteTable('registered_models', {
  name: text('name').primaryKey(),
  description: text('description'),
  createdAt: integer('created_at').notNull(),
});

export const modelVersions = sqliteTable(
  'model_versions',
  {
    id: integer('id').primaryKey(),
    model: text('model')
      .notNull()
      .references(() => registeredModels.name),
    version: integer('version').notNull(),
    runId: text('run_id').references(() => runs.id, { onDelete: 'set null' }),
    source: text('source', { enum: RUN_SOURCES }).notNull(),
    status: text('status').notNull(),
    artifactPath: text('artifact_path'),
    sha256: text('sha256'),
    gateReport: json('gate_report').$type<JsonObject>(),
    metrics: json('metrics').$type<JsonObject>(),
    raw: json('raw').$type<JsonObject>(),
    createdAt: integer('created_at').notNull(),
    createdBy: text('created_by'),
  },
  (t) => [
    uniqueIndex('model_versions_model_version_idx').on(t.model, t.version),
    index('model_versions_run_idx').on(t.runId),
  ],
);

export const modelAliases = sqliteTable(
  'model_aliases',
  {
    model: text('model')
      .notNull()
      .references(() => registeredModels.name),
    alias: text('alias', { enum: MODEL_ALIASES }).notNull(),
    versionId: integer('version_id')
      .notNull()
      .references(() => modelVersions.id),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.model, t.alias] })],
);

export const registryEvents = sqliteTable(
  'registry_events',
  {
    id: integer('id').primaryKey(),
    model: text('model').notNull(),
    alias: text('alias'),
    action: text('action', { enum: REGISTRY_ACTIONS }).notNull(),
    fromVersionId: integer('from_version_id'),
    toVersionId: integer('to_version_id'),
    by: text('by'),
    reason: text('reason'),
    note: text('note'),
    forced: integer('forced', { mode: 'boolean' }).notNull().default(false),
    gateReport: json('gate_report').$type<JsonObject>(),
    published: json('published').$type<JsonObject>(),
    at: integer('at').notNull(),
  },
  (t) => [index('registry_events_model_idx').on(t.model, t.at)],
);
export type { SqlRow } from './sql-row';
