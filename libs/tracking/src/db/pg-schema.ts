/**
 * The tracking store's schema for PostgreSQL (drizzle pg-core): schema.ts table by table and column by column,
 * with the same names, nullability, defaults, keys, indexes and foreign keys (pg-schema.test.ts fails on any
 * difference). Values are stored as SQLite stores them, so raw SQL reads the same rows on both stores:
 * epoch-ms times, steps, sizes and ids → BIGINT (as numbers); REAL → DOUBLE PRECISION; JSON → TEXT;
 * booleans → INTEGER 0/1; small codes (flag, rollup level and count, pid) → INTEGER. Integer primary keys are
 * identity columns (BY DEFAULT, so copied rows keep their ids; the copier then moves the sequence past them).
 *
 * Changing schema.ts means changing this file too, then `npx drizzle-kit generate --config drizzle-pg.config.ts`
 * in libs/tracking and committing the migration under libs/tracking/drizzle-pg/.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  doublePrecision,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { intBoolean, json } from './pg-columns';
import { RUN_SOURCES, RUN_STATUSES } from './run-enums';
import {
  INGEST_OUTCOMES,
  MEDIA_TYPES,
  MODEL_ALIASES,
  REGISTRY_ACTIONS,
  SEVERITIES,
  TOKEN_SCOPES,
  type JsonObject,
} from './schema';

/** A BIGINT read and written as a JS number (every value the store holds is a safe integer). */
const big = <N extends string>(name: N) => bigint(name, { mode: 'number' });
/** An integer primary key: BIGINT identity, explicit ids accepted (as SQLite's INTEGER PRIMARY KEY). */
const id = () => big('id').primaryKey().generatedByDefaultAsIdentity();

export const experiments = pgTable('experiments', {
  name: text('name').primaryKey(),
  description: text('description'),
  createdAt: big('created_at').notNull(),
});

export const runs = pgTable(
  'runs',
  {
    id: text('id').primaryKey(),
    experiment: text('experiment')
      .notNull()
      .references(() => experiments.name),
    name: text('name'),
    status: text('status', { enum: RUN_STATUSES }).notNull(),
    source: text('source', { enum: RUN_SOURCES }).notNull().default('live'),
    startedAt: big('started_at').notNull(),
    endedAt: big('ended_at'),
    durationS: doublePrecision('duration_s'),
    gitCommit: text('git_commit'),
    hardware: text('hardware'),
    backend: text('backend'),
    host: text('host'),
    system: json('system').$type<JsonObject>(),
    tags: json('tags')
      .$type<string[]>()
      .notNull()
      .default(sql`'[]'`),
    notes: text('notes'),
    errorType: text('error_type'),
    errorMessage: text('error_message'),
    errorStack: text('error_stack'),
    heartbeatAt: big('heartbeat_at'),
    pid: integer('pid'),
    config: json('config')
      .$type<JsonObject>()
      .notNull()
      .default(sql`'{}'`),
    contentHash: text('content_hash'),
    sourceMissing: intBoolean('source_missing')
      .notNull()
      .default(sql`0`),
    summary: json('summary').$type<JsonObject>(),
  },
  (t) => [
    index('runs_started_idx').on(t.startedAt, t.id),
    index('runs_experiment_started_idx').on(t.experiment, t.startedAt),
    index('runs_status_idx').on(t.status),
    index('runs_content_hash_idx').on(t.contentHash),
  ],
);

/** Metric points; `flag` as in schema.ts (0 finite, 1 NaN, 2 +Infinity, 3 -Infinity with value NULL). */
export const metrics = pgTable(
  'metrics',
  {
    id: id(),
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    step: big('step').notNull(),
    epoch: big('epoch'),
    wallTime: big('wall_time').notNull(),
    value: doublePrecision('value'),
    flag: integer('flag').notNull().default(0),
  },
  (t) => [
    index('metrics_run_key_step_idx').on(t.runId, t.key, t.step),
    index('metrics_special_idx')
      .on(t.runId, t.key, t.step)
      .where(sql`flag != 0 OR value = 0`),
  ],
);

export const metricRollups = pgTable(
  'metric_rollups',
  {
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    level: integer('level').notNull(),
    bucket: big('bucket').notNull(),
    /** Points in the bucket (at most 4096). */
    count: integer('count').notNull(),
    firstStep: big('first_step').notNull(),
    lastStep: big('last_step').notNull(),
    minValue: doublePrecision('min_value'),
    minStep: big('min_step'),
    minEpoch: big('min_epoch'),
    minWall: big('min_wall'),
    maxValue: doublePrecision('max_value'),
    maxStep: big('max_step'),
    maxEpoch: big('max_epoch'),
    maxWall: big('max_wall'),
  },
  (t) => [primaryKey({ columns: [t.runId, t.key, t.level, t.bucket] })],
);

export const artifacts = pgTable(
  'artifacts',
  {
    id: id(),
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    name: text('name'),
    path: text('path').notNull(),
    sha256: text('sha256'),
    bytes: big('bytes'),
    createdAt: big('created_at').notNull(),
  },
  (t) => [index('artifacts_run_idx').on(t.runId)],
);

export const media = pgTable(
  'media',
  {
    id: id(),
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    artifactId: big('artifact_id')
      .notNull()
      .references(() => artifacts.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    step: big('step').notNull(),
    epoch: big('epoch'),
    mime: text('mime', { enum: MEDIA_TYPES }).notNull(),
    caption: text('caption'),
    bytes: big('bytes').notNull(),
    meta: json('meta').$type<JsonObject>(),
    createdAt: big('created_at').notNull(),
  },
  (t) => [uniqueIndex('media_run_key_step_idx').on(t.runId, t.key, t.step)],
);

export const anomalies = pgTable(
  'anomalies',
  {
    id: id(),
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    rule: text('rule').notNull(),
    severity: text('severity', { enum: SEVERITIES }).notNull(),
    firstStep: big('first_step'),
    evidence: json('evidence').$type<JsonObject>().notNull(),
    createdAt: big('created_at').notNull(),
  },
  (t) => [index('anomalies_run_idx').on(t.runId, t.rule), index('anomalies_rule_idx').on(t.rule, t.runId)],
);

// ---------------------------------------------------------------- legacy ingestion

export const ingestFiles = pgTable(
  'ingest_files',
  {
    id: id(),
    path: text('path').notNull(),
    dir: text('dir').notNull(),
    relPath: text('rel_path').notNull(),
    sha256: text('sha256'),
    bytes: big('bytes'),
    mtime: big('mtime'),
    outcome: text('outcome', { enum: INGEST_OUTCOMES }).notNull(),
    reason: text('reason'),
    byteOffset: big('byte_offset'),
    format: text('format'),
    runId: text('run_id').references(() => runs.id, { onDelete: 'set null' }),
    duplicateOfFileId: big('duplicate_of_file_id'),
    rawText: text('raw_text'),
    firstSeenAt: big('first_seen_at').notNull(),
    lastSeenAt: big('last_seen_at').notNull(),
  },
  (t) => [
    uniqueIndex('ingest_files_path_idx').on(t.path),
    index('ingest_files_sha_idx').on(t.sha256),
    index('ingest_files_run_idx').on(t.runId),
  ],
);

export const ingestFileVersions = pgTable(
  'ingest_file_versions',
  {
    id: id(),
    fileId: big('file_id')
      .notNull()
      .references(() => ingestFiles.id, { onDelete: 'cascade' }),
    sha256: text('sha256'),
    rawText: text('raw_text'),
    runId: text('run_id'),
    seenAt: big('seen_at').notNull(),
  },
  (t) => [index('ingest_file_versions_file_idx').on(t.fileId)],
);

export const watchers = pgTable('watchers', {
  id: id(),
  dir: text('dir').notNull(),
  pid: integer('pid'),
  host: text('host'),
  startedAt: big('started_at').notNull(),
  heartbeatAt: big('heartbeat_at'),
  lastScanAt: big('last_scan_at'),
  stoppedAt: big('stopped_at'),
});

// ---------------------------------------------------------------- model registry

export const registeredModels = pgTable('registered_models', {
  name: text('name').primaryKey(),
  description: text('description'),
  createdAt: big('created_at').notNull(),
});

export const modelVersions = pgTable(
  'model_versions',
  {
    id: id(),
    model: text('model')
      .notNull()
      .references(() => registeredModels.name),
    version: big('version').notNull(),
    runId: text('run_id').references(() => runs.id, { onDelete: 'set null' }),
    source: text('source', { enum: RUN_SOURCES }).notNull(),
    status: text('status').notNull(),
    artifactPath: text('artifact_path'),
    sha256: text('sha256'),
    gateReport: json('gate_report').$type<JsonObject>(),
    metrics: json('metrics').$type<JsonObject>(),
    raw: json('raw').$type<JsonObject>(),
    createdAt: big('created_at').notNull(),
    createdBy: text('created_by'),
  },
  (t) => [
    uniqueIndex('model_versions_model_version_idx').on(t.model, t.version),
    index('model_versions_run_idx').on(t.runId),
  ],
);

export const modelAliases = pgTable(
  'model_aliases',
  {
    model: text('model')
      .notNull()
      .references(() => registeredModels.name),
    alias: text('alias', { enum: MODEL_ALIASES }).notNull(),
    versionId: big('version_id')
      .notNull()
      .references(() => modelVersions.id),
    updatedAt: big('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.model, t.alias] })],
);

export const registryEvents = pgTable(
  'registry_events',
  {
    id: id(),
    model: text('model').notNull(),
    alias: text('alias'),
    action: text('action', { enum: REGISTRY_ACTIONS }).notNull(),
    fromVersionId: big('from_version_id'),
    toVersionId: big('to_version_id'),
    by: text('by'),
    reason: text('reason'),
    note: text('note'),
    forced: intBoolean('forced')
      .notNull()
      .default(sql`0`),
    gateReport: json('gate_report').$type<JsonObject>(),
    published: json('published').$type<JsonObject>(),
    at: big('at').notNull(),
  },
  (t) => [index('registry_events_model_idx').on(t.model, t.at)],
);

// ---------------------------------------------------------------- tracking server

export const apiTokens = pgTable('api_tokens', {
  id: text('id').primaryKey(),
  name: text('name'),
  scope: text('scope', { enum: TOKEN_SCOPES }).notNull(),
  hash: text('hash').notNull(),
  createdAt: big('created_at').notNull(),
  lastUsedAt: big('last_used_at'),
  revokedAt: big('revoked_at'),
});

export const remoteOps = pgTable(
  'remote_ops',
  {
    key: text('key').primaryKey(),
    runId: text('run_id')
      .notNull()
      .references(() => runs.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    points: big('points').notNull(),
    appliedAt: big('applied_at').notNull(),
  },
  (t) => [index('remote_ops_run_idx').on(t.runId)],
);
