import { and, eq } from 'drizzle-orm';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { modelVersions, runs, type JsonObject } from '@kelly/tracking/schema';
import { parsePythonJson, RegistrySchema, registryStrayEntries, type RegistryModel } from '@kelly/legacy';
import type { Tracker } from '@kelly/tracking';
import { modelIdFor } from './model-entry';
import { sha256Hex } from './publish';
import { insertVersion, recordEvent, writeTx } from './registry-store';

/**
 * Imports an old `models/registry.json` (v1.0 or v1.1, as parsed by ../legacy) as model history: each model
 * entry becomes a version with `source: 'legacy'` and the entry's own status (`stub`, `trained`, ...), its
 * training block, exports and the whole entry kept in `raw`. Linked to its run when a run with the entry's
 * `training.run_id` is in the store. Idempotent: an entry already imported (same model, same content, from
 * any registry file) adds nothing, so the many snapshots of one registry collapse into its real history.
 * Stray top-level keys (`status: "integrated"`, RECOVERY_OPS) are not model entries: counted, not imported.
 */
export interface LegacyRegistryImport {
  file: string;
  registryVersion: string;
  /** One per model entry in the file. */
  entries: { model: string; status: string; runId: string | null; version: number; created: boolean }[];
  created: number;
  skipped: number;
  strayKeys: string[];
}

/** Canonical JSON (sorted keys) so the same entry hashes the same whatever the key order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

function numbersOf(t: RegistryModel['training']): JsonObject {
  const out: JsonObject = {};
  for (const k of ['train_loss', 'val_loss', 'test_loss', 'epochs', 'duration_seconds'] as const) {
    const v = t?.[k];
    if (typeof v === 'number') out[k] = v;
  }
  return out;
}

/**
 * @param file path of the registry JSON (read here); or pass `text` to import bytes already read (the watcher).
 * @throws Error naming the file when it does not parse or is not a registry.
 */
export function importLegacyRegistry(
  tracker: Tracker,
  file: string,
  text?: string | Uint8Array,
): LegacyRegistryImport {
  const bytes = text ?? readFileSync(file);
  const parsed = parsePythonJson(bytes);
  if (!parsed.ok)
    throw new Error(
      `${file}: not readable JSON: ${parsed.reason}${parsed.offset !== null ? ` at byte ${parsed.offset}` : ''}`,
    );
  const reg = RegistrySchema.safeParse(parsed.value);
  if (!reg.success) {
    const issue = reg.error.issues[0];
    throw new Error(
      `${file}: not a Kelly model registry: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  const registry = reg.data;
  const result: LegacyRegistryImport = {
    file,
    registryVersion: registry.registry_version,
    entries: [],
    created: 0,
    skipped: 0,
    strayKeys: Object.keys(registryStrayEntries(registry)),
  };

  writeTx(tracker, () => {
    for (const entry of registry.models) {
      const model = modelIdFor(entry.id);
      const entryHash = sha256Hex(canonical(entry));
      const runIdText = entry.training?.run_id?.trim() || null;
      const existing = tracker.db
        .select()
        .from(modelVersions)
        .where(and(eq(modelVersions.model, model), eq(modelVersions.source, 'legacy')))
        .all()
        .find((v) => v.raw?.entryHash === entryHash);
      if (existing) {
        result.skipped++;
        result.entries.push({
          model,
          status: existing.status,
          runId: existing.runId,
          version: existing.version,
          created: false,
        });
        continue;
      }
      const run = runIdText
        ? tracker.db.select({ id: runs.id }).from(runs).where(eq(runs.id, runIdText)).get()
        : undefined;
      const sha = entry.exports?.sha256 || entry.sha256 || null;
      const version = insertVersion(tracker, {
        model,
        runId: run?.id ?? null,
        source: 'legacy',
        status: entry.status,
        artifactPath: entry.file ?? null,
        sha256: sha,
        metrics: numbersOf(entry.training),
        raw: {
          legacy: true,
          file: basename(file),
          registryVersion: registry.registry_version,
          generatedAt: registry.generated_at ?? null,
          recordedRunId: runIdText,
          entryHash,
          entry: entry,
        },
        createdBy: 'legacy-import',
      });
      recordEvent(tracker, {
        model,
        action: 'import',
        fromVersionId: null,
        toVersionId: version.id,
        by: 'legacy-import',
        note: `legacy registry ${basename(file)} (v${registry.registry_version}, status ${entry.status})`,
      });
      result.created++;
      result.entries.push({
        model,
        status: entry.status,
        runId: version.runId,
        version: version.version,
        created: true,
      });
    }
  });
  return result;
}
