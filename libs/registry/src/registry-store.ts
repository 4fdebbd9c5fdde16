import { and, desc, eq, max, sql, type SQL } from 'drizzle-orm';
import type {
  JsonObject,
  metrics,
  ModelAlias,
  RegistryAction,
  RunSource,
  SqlRow,
} from '@kelly/tracking/schema';
import { modelAliases, modelVersions, registeredModels, registryEvents } from '@kelly/tracking/schema';
import { bySql, decodeValue } from '@kelly/tracking';
import { withBusyRetry } from '@kelly/tracking';
import type { Tracker } from '@kelly/tracking';

/**
 * Registry rows in the tracking store (tables in ../db/schema.ts): registered models, versions (one run and
 * its RTNeural artifact each, or a legacy registry entry), aliases (one version per alias) and the audit log.
 * Every write that moves an alias also writes its event, in one IMMEDIATE transaction.
 */

export type VersionRow = typeof modelVersions.$inferSelect;
export type EventRow = typeof registryEvents.$inferSelect;

/** An unknown run id, model or version: the CLI turns it into a usage error (exit 2). */
export class RegistryNotFoundError extends Error {}

/** The request conflicts with the registry's current state (e.g. rolling back to the version already in place). */
export class RegistryConflictError extends Error {}

/**
 * The `id` of a row drizzle inserts: drizzle's SQLite builder writes NULL for an omitted column, which SQLite turns
 * into the next rowid but PostgreSQL's identity column refuses (NOT NULL); there it must be DEFAULT.
 */
function newId(tracker: Tracker): SQL {
  return sql.raw(bySql(tracker.sql, { sqlite: 'NULL', postgres: 'DEFAULT' }));
}

/** Runs `fn` in an IMMEDIATE transaction, retrying SQLITE_BUSY. */
export function writeTx<T>(tracker: Tracker, fn: () => T): T {
  return withBusyRetry(() => tracker.sql.transaction(fn).immediate());
}

export function ensureModel(tracker: Tracker, name: string, now = Date.now()): void {
  tracker.db.insert(registeredModels).values({ name, createdAt: now }).onConflictDoNothing().run();
}

/** Last logged value of each key for a run (by step, then insertion order); non-finite values kept. */
export function lastMetrics(
  tracker: Tracker,
  runId: string,
  keys: readonly string[],
): Record<string, number | undefined> {
  const stmt = tracker.sql.prepare(
    `SELECT value, flag FROM metrics WHERE run_id = ? AND key = ? ORDER BY step DESC, id DESC LIMIT 1`,
  );
  const out: Record<string, number | undefined> = {};
  for (const key of keys) {
    const row = stmt.get(runId, key) as Pick<SqlRow<typeof metrics>, 'value' | 'flag'> | undefined;
    out[key] = row ? decodeValue(row.value, row.flag) : undefined;
  }
  return out;
}

export function getVersionById(tracker: Tracker, id: number): VersionRow | undefined {
  return tracker.db.select().from(modelVersions).where(eq(modelVersions.id, id)).get();
}

export function getVersion(tracker: Tracker, model: string, version: number): VersionRow {
  const row = tracker.db
    .select()
    .from(modelVersions)
    .where(and(eq(modelVersions.model, model), eq(modelVersions.version, version)))
    .get();
  if (!row) throw new RegistryNotFoundError(`model ${model} has no version v${version}`);
  return row;
}

/** The version an alias points to now, or null. */
export function aliasVersion(tracker: Tracker, model: string, alias: ModelAlias): VersionRow | null {
  const a = tracker.db
    .select()
    .from(modelAliases)
    .where(and(eq(modelAliases.model, model), eq(modelAliases.alias, alias)))
    .get();
  return a ? (getVersionById(tracker, a.versionId) ?? null) : null;
}

export interface NewVersion {
  model: string;
  runId: string | null;
  source: RunSource;
  status: string;
  artifactPath: string | null;
  sha256: string | null;
  gateReport?: JsonObject | null;
  metrics?: JsonObject | null;
  raw?: JsonObject | null;
  createdBy: string | null;
}

/** Inserts the next version number of `model`. Call inside writeTx. */
export function insertVersion(tracker: Tracker, v: NewVersion, now = Date.now()): VersionRow {
  ensureModel(tracker, v.model, now);
  const top = tracker.db
    .select({ n: max(modelVersions.version) })
    .from(modelVersions)
    .where(eq(modelVersions.model, v.model))
    .get();
  return tracker.db
    .insert(modelVersions)
    .values({ ...v, id: newId(tracker), version: (top?.n ?? 0) + 1, createdAt: now })
    .returning()
    .get();
}

/** The live version registered for this run and artifact hash, if any. */
export function findRunVersion(
  tracker: Tracker,
  model: string,
  runId: string,
  sha256: string | null,
): VersionRow | undefined {
  const rows = tracker.db
    .select()
    .from(modelVersions)
    .where(and(eq(modelVersions.model, model), eq(modelVersions.runId, runId)))
    .orderBy(desc(modelVersions.version))
    .all();
  return rows.find((r) => r.sha256 === sha256);
}

export interface AliasMove {
  model: string;
  alias: ModelAlias;
  toVersionId: number;
  action: RegistryAction;
  by: string | null;
  reason?: string | null;
  note?: string | null;
  forced?: boolean;
  gateReport?: JsonObject | null;
  published?: JsonObject | null;
}

/** Points `alias` at a version and records the event (from → to). Call inside writeTx. */
export function moveAlias(tracker: Tracker, m: AliasMove, now = Date.now()): EventRow {
  const from = aliasVersion(tracker, m.model, m.alias);
  // Plain SQL: drizzle's SQLite builder writes the conflict target as "model_aliases"."model", which PostgreSQL
  // refuses; this statement reads the same on both stores.
  tracker.sql
    .prepare(
      `INSERT INTO model_aliases (model, alias, version_id, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (model, alias) DO UPDATE SET version_id = excluded.version_id, updated_at = excluded.updated_at`,
    )
    .run(m.model, m.alias, m.toVersionId, now);
  return recordEvent(tracker, { ...m, fromVersionId: from?.id ?? null }, now);
}

export function recordEvent(
  tracker: Tracker,
  e: Omit<AliasMove, 'alias' | 'toVersionId'> & {
    alias?: ModelAlias | null;
    toVersionId: number | null;
    fromVersionId: number | null;
  },
  now = Date.now(),
): EventRow {
  return tracker.db
    .insert(registryEvents)
    .values({
      id: newId(tracker),
      model: e.model,
      alias: e.alias ?? null,
      action: e.action,
      fromVersionId: e.fromVersionId,
      toVersionId: e.toVersionId,
      by: e.by,
      reason: e.reason ?? null,
      note: e.note ?? null,
      forced: e.forced ?? false,
      gateReport: e.gateReport ?? null,
      published: e.published ?? null,
      at: now,
    })
    .returning()
    .get();
}

export function modelEvents(tracker: Tracker, model: string): EventRow[] {
  return tracker.db
    .select()
    .from(registryEvents)
    .where(eq(registryEvents.model, model))
    .orderBy(desc(registryEvents.at), desc(registryEvents.id))
    .all();
}
