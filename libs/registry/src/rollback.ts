import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { MODEL_ALIASES, type ModelAlias } from '@kelly/tracking/schema';
import type { Tracker } from '@kelly/tracking';
import type { LockOptions } from './atomic-file';
import { getRun, SUMMARY_METRICS } from './gate-facts';
import { buildModelEntry } from './model-entry';
import { actor, publishedJson } from './promote';
import { publishModel, sha256Hex, versionFilePath, type PublishResult } from './publish';
import type { ModelEntry } from '@kelly/legacy';
import {
  aliasVersion,
  getVersion,
  getVersionById,
  lastMetrics,
  modelEvents,
  moveAlias,
  RegistryConflictError,
  RegistryNotFoundError,
  writeTx,
  type EventRow,
  type VersionRow,
} from './registry-store';
import { summarizeRtneural } from './rtneural-summary';

export interface RollbackOptions {
  model: string;
  alias: ModelAlias;
  /** Version number to go back to; default the version the alias pointed to before the current one was promoted. */
  to?: number;
  /** Folder to republish into; default the folder the alias was last published to, else `<KELLY_HOME>/models`. */
  outDir?: string;
  by?: string;
  reason?: string;
  lock?: LockOptions;
}

export interface RollbackResult {
  model: string;
  alias: ModelAlias;
  fromVersion: number;
  toVersion: number;
  published: PublishResult | null;
  eventId: number;
}

/**
 * The version before `current`: the `from` of the latest promotion to it. Rollback events are not followed,
 * so rolling back twice walks further back (v3 → v2 → v1) instead of flip-flopping.
 */
function previousVersion(
  tracker: Tracker,
  model: string,
  alias: ModelAlias,
  current: VersionRow,
): VersionRow {
  const ev = modelEvents(tracker, model).find(
    (e) => e.alias === alias && e.toVersionId === current.id && e.action === 'promote',
  );
  const prev = ev?.fromVersionId != null ? getVersionById(tracker, ev.fromVersionId) : undefined;
  if (!prev)
    throw new RegistryNotFoundError(
      `${model} ${alias} is at v${current.version} and has no earlier version to roll back to`,
    );
  return prev;
}

/** The exact bytes of a version: the kept copy in `<out>/versions/`, else the run's artifact; sha256-checked. */
function versionBytes(tracker: Tracker, outDir: string, v: VersionRow): Buffer {
  const candidates = [
    versionFilePath(outDir, v.model, v.version),
    ...(v.artifactPath ? [resolve(tracker.paths.artifacts, v.artifactPath)] : []),
  ];
  for (const file of candidates) {
    if (!existsSync(file)) continue;
    const bytes = readFileSync(file);
    if (!v.sha256 || sha256Hex(bytes) === v.sha256) return bytes;
  }
  throw new Error(
    `cannot restore ${v.model} v${v.version}: no copy with sha256 ${v.sha256 ?? '?'} in ${candidates.join(' or ')}`,
  );
}

/** The registry entry last published for a version (so a rollback restores it exactly), else rebuilt from its run. */
function versionEntry(tracker: Tracker, v: VersionRow, bytes: Buffer): ModelEntry {
  const ev: EventRow | undefined = modelEvents(tracker, v.model).find(
    (e) => e.toVersionId === v.id && e.published?.entry,
  );
  if (ev?.published?.entry) return ev.published.entry as ModelEntry;
  if (!v.runId) throw new Error(`cannot build a registry entry for ${v.model} v${v.version}: it has no run`);
  const run = getRun(tracker, v.runId);
  return buildModelEntry({
    modelId: v.model,
    version: v.version,
    summary: summarizeRtneural(JSON.parse(bytes.toString('utf8'))),
    run: {
      ...run,
      lastMetrics: lastMetrics(tracker, run.id, SUMMARY_METRICS),
    },
  });
}

/** The folder this model's alias was last published to (so a rollback republishes where the plugin reads). */
function lastPublishDir(tracker: Tracker, model: string, alias: ModelAlias): string | undefined {
  const ev = modelEvents(tracker, model).find(
    (e) => e.alias === alias && typeof e.published?.outDir === 'string',
  );
  return ev?.published?.outDir as string | undefined;
}

/**
 * Re-points `alias` to an earlier version and records a `rollback` event; for `production` it republishes that
 * version's model file (byte for byte) and its registry entry. No gates: the target passed them when promoted.
 */
export async function rollback(tracker: Tracker, o: RollbackOptions): Promise<RollbackResult> {
  if (!MODEL_ALIASES.includes(o.alias)) throw new Error(`alias must be one of ${MODEL_ALIASES.join(', ')}`);
  const current = aliasVersion(tracker, o.model, o.alias);
  if (!current) throw new RegistryNotFoundError(`model ${o.model} has no ${o.alias} version to roll back`);
  const target =
    o.to !== undefined
      ? getVersion(tracker, o.model, o.to)
      : previousVersion(tracker, o.model, o.alias, current);
  if (target.id === current.id)
    throw new RegistryConflictError(`${o.model} ${o.alias} already points to v${target.version}`);
  const by = actor(o.by);
  const move = (published: PublishResult | null) =>
    moveAlias(tracker, {
      model: o.model,
      alias: o.alias,
      toVersionId: target.id,
      action: 'rollback',
      by,
      reason: o.reason ?? `rollback from v${current.version} to v${target.version}`,
      published: published ? publishedJson(published) : null,
    });

  let event: EventRow | undefined;
  let published: PublishResult | null = null;
  if (o.alias === 'production') {
    const outDir = o.outDir ?? lastPublishDir(tracker, o.model, o.alias) ?? tracker.paths.models;
    const bytes = versionBytes(tracker, outDir, target);
    const entry = versionEntry(tracker, target, bytes);
    published = await publishModel(
      { outDir, modelId: o.model, version: target.version, modelBytes: bytes, entry, lock: o.lock },
      (res) => {
        event = writeTx(tracker, () => move(res));
      },
    );
  } else {
    event = writeTx(tracker, () => move(null));
  }
  if (!event) throw new Error('internal: rollback recorded no event');
  return {
    model: o.model,
    alias: o.alias,
    fromVersion: current.version,
    toVersion: target.version,
    published,
    eventId: event.id,
  };
}
