import { asc, eq } from 'drizzle-orm';
import {
  experiments,
  modelAliases,
  modelVersions,
  registeredModels,
  type JsonObject,
  type ModelAlias,
  type RegistryAction,
} from '@kelly/tracking/schema';
import type { Tracker } from '@kelly/tracking';
import type { GateReport } from './gates';
import { modelIdFor } from './model-entry';
import { modelEvents, RegistryNotFoundError, type VersionRow } from './registry-store';

/**
 * Read-side of the registry, shared by `kelly models list|show` and the dashboard's Models page.
 * Times are Unix ms. Metric values may be NaN/±Infinity (use toJsonSafe for JSON output).
 */

export interface ModelSummary {
  name: string;
  versions: number;
  legacyVersions: number;
  latestVersion: number | null;
  /** alias → version number. */
  aliases: Partial<Record<ModelAlias, number>>;
  createdAt: number;
}

export interface VersionView {
  version: number;
  runId: string | null;
  source: 'live' | 'legacy';
  /** Lifecycle status: `trained` for live versions; a legacy entry's own status (`stub`, `trained`, ...). */
  status: string;
  legacy: boolean;
  artifactPath: string | null;
  sha256: string | null;
  aliases: ModelAlias[];
  metrics: JsonObject | null;
  /** Gate report recorded when the version was registered. */
  gateReport: GateReport | null;
  /** Legacy: the original registry entry and the file it came from. */
  raw: JsonObject | null;
  createdAt: number;
  createdBy: string | null;
}

export interface HistoryEvent {
  id: number;
  at: number;
  action: RegistryAction;
  alias: string | null;
  fromVersion: number | null;
  toVersion: number | null;
  by: string | null;
  reason: string | null;
  note: string | null;
  forced: boolean;
  gateReport: GateReport | null;
  published: JsonObject | null;
}

export interface ModelDetail {
  name: string;
  aliases: { alias: ModelAlias; version: number; updatedAt: number }[];
  /** Newest first. */
  versions: VersionView[];
  /** Newest first. */
  history: HistoryEvent[];
}

function versionsOf(tracker: Tracker, model: string): VersionRow[] {
  return tracker.db
    .select()
    .from(modelVersions)
    .where(eq(modelVersions.model, model))
    .orderBy(asc(modelVersions.version))
    .all();
}

/**
 * Every model: the registered ones and every experiment (its model id, `modelIdFor`), with version counts and
 * where the aliases point. An experiment nothing was promoted from yet shows 0 versions.
 */
export function listModels(tracker: Tracker): ModelSummary[] {
  const registered = tracker.db.select().from(registeredModels).all();
  const known = new Map(registered.map((m) => [m.name, m.createdAt]));
  for (const e of tracker.db.select().from(experiments).all()) {
    const id = modelIdFor(e.name);
    if (!known.has(id)) known.set(id, e.createdAt);
  }
  const models = [...known]
    .map(([name, createdAt]) => ({ name, createdAt }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return models.map((m) => {
    const versions = versionsOf(tracker, m.name);
    const byId = new Map(versions.map((v) => [v.id, v.version]));
    const aliases: Partial<Record<ModelAlias, number>> = {};
    for (const a of tracker.db.select().from(modelAliases).where(eq(modelAliases.model, m.name)).all()) {
      const n = byId.get(a.versionId);
      if (n !== undefined) aliases[a.alias] = n;
    }
    return {
      name: m.name,
      versions: versions.length,
      legacyVersions: versions.filter((v) => v.source === 'legacy').length,
      latestVersion: versions.at(-1)?.version ?? null,
      aliases,
      createdAt: m.createdAt,
    };
  });
}

/** One model: aliases, versions (newest first) and its audit history. Throws RegistryNotFoundError if unknown. */
export function getModel(tracker: Tracker, name: string): ModelDetail {
  const m = tracker.db.select().from(registeredModels).where(eq(registeredModels.name, name)).get();
  if (
    !m &&
    !tracker.db
      .select()
      .from(experiments)
      .all()
      .some((e) => modelIdFor(e.name) === name)
  ) {
    throw new RegistryNotFoundError(`unknown model: ${name}`);
  }
  const versions = versionsOf(tracker, name);
  const num = new Map(versions.map((v) => [v.id, v.version]));
  const aliasRows = tracker.db.select().from(modelAliases).where(eq(modelAliases.model, name)).all();
  const aliases = aliasRows
    .filter((a) => num.has(a.versionId))
    .map((a) => ({ alias: a.alias, version: num.get(a.versionId)!, updatedAt: a.updatedAt }));
  return {
    name,
    aliases,
    versions: versions
      .map((v) => ({
        version: v.version,
        runId: v.runId,
        source: v.source,
        status: v.status,
        legacy: v.source === 'legacy',
        artifactPath: v.artifactPath,
        sha256: v.sha256,
        aliases: aliases.filter((a) => a.version === v.version).map((a) => a.alias),
        metrics: v.metrics,
        gateReport: (v.gateReport as GateReport | null) ?? null,
        raw: v.raw,
        createdAt: v.createdAt,
        createdBy: v.createdBy,
      }))
      .reverse(),
    history: modelEvents(tracker, name).map((e) => ({
      id: e.id,
      at: e.at,
      action: e.action,
      alias: e.alias,
      fromVersion: e.fromVersionId === null ? null : (num.get(e.fromVersionId) ?? null),
      toVersion: e.toVersionId === null ? null : (num.get(e.toVersionId) ?? null),
      by: e.by,
      reason: e.reason,
      note: e.note,
      forced: e.forced,
      gateReport: (e.gateReport as GateReport | null) ?? null,
      published: e.published,
    })),
  };
}

/** The audit log of one model, newest first. */
export function modelHistory(tracker: Tracker, name: string): HistoryEvent[] {
  return getModel(tracker, name).history;
}

/**
 * The gate report of a version: the one of its latest promotion (which may have been forced), else the one
 * recorded when it was registered; null for legacy versions (never gated).
 */
export function versionGateReport(
  tracker: Tracker,
  name: string,
  version: number,
): { report: GateReport | null; forced: boolean; reason: string | null; at: number | null } {
  const detail = getModel(tracker, name);
  const v = detail.versions.find((x) => x.version === version);
  if (!v) throw new RegistryNotFoundError(`model ${name} has no version v${version}`);
  const ev = detail.history.find((e) => e.action === 'promote' && e.toVersion === version && e.gateReport);
  if (ev) return { report: ev.gateReport, forced: ev.forced, reason: ev.reason, at: ev.at };
  return { report: v.gateReport, forced: false, reason: null, at: v.gateReport ? v.createdAt : null };
}
