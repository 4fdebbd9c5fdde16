import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from '@kelly/tracking';
import { z } from 'zod';
import { acquireLock, writeFileAtomic, type LockOptions } from './atomic-file';
import {
  checkRegistryFile,
  REGISTRY_VERSION,
  RegistryFileError,
  type ModelEntry,
  type RegistryFile,
} from '@kelly/legacy';

/**
 * The models folder the plugin loads (default `<KELLY_HOME>/models`, or `--out`):
 *
 *   <out>/registry.json                    Kelly registry v1.1 (validated before every write)
 *   <out>/<model_id>.json                  the RTNeural model the production alias points to, byte for byte
 *   <out>/versions/<model_id>/v<N>.json    every version ever published here, kept for rollback
 *   <out>/.registry.lock                   held while publishing (serialises concurrent promotions)
 *
 * Every file is written atomically (temp + rename); registry.json is read, merged and rewritten under the lock,
 * so two promotions at once (same or different models) both land and leave a valid file.
 */

export const REGISTRY_FILE = 'registry.json';
export const LOCK_FILE = '.registry.lock';
export const REGISTRY_DESCRIPTION =
  'Kelly ML model registry, published by `kelly promote` (Kelly ML tracking store).';

/** Re-exported: the one sha256 helper is @kelly/tracking's. */
export { sha256Hex };

export interface PublishInput {
  outDir: string;
  modelId: string;
  /** Registry version number within the model (v1, v2, ...). */
  version: number;
  /** The RTNeural model file's exact bytes. */
  modelBytes: Uint8Array;
  /** The registry entry; `file` and `exports.sha256` are set here. */
  entry: ModelEntry;
  lock?: LockOptions;
  now?: Date;
}

export interface PublishResult {
  outDir: string;
  modelFile: string;
  registryFile: string;
  versionFile: string;
  sha256: string;
  /** sha256 of the model file this replaced, null if there was none. */
  replacedSha256: string | null;
  entry: ModelEntry;
}

export const versionFilePath = (outDir: string, modelId: string, version: number) =>
  join(outDir, 'versions', modelId, `v${version}.json`);

/**
 * Reads the registry already in the folder. The old Python writer put naive timestamps (no offset) and `""` in
 * `training_date`, which the schema's `date-time` rejects: such values are moved to `training_date_local`
 * (kept verbatim, an unknown key the schema allows) so the merged file validates and nothing is lost.
 * @returns the registry and whether anything had to be normalised (the caller then keeps a backup).
 */
function readRegistry(file: string): { registry: RegistryFile; normalised: boolean } {
  if (!existsSync(file)) {
    return {
      registry: { registry_version: REGISTRY_VERSION, description: REGISTRY_DESCRIPTION, models: [] },
      normalised: false,
    };
  }
  const text = readFileSync(file, 'utf8');
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new RegistryFileError(
      file,
      `not valid JSON (${e instanceof Error ? e.message : String(e)}); not overwriting it`,
    );
  }
  const normalised = normaliseLegacyDates(doc);
  return { registry: checkRegistryFile(doc, file), normalised };
}

const isDateTime = (v: unknown) =>
  typeof v === 'string' && z.iso.datetime({ offset: true }).safeParse(v).success;

/** Mutates `doc` in place; true when a value was moved. */
function normaliseLegacyDates(doc: unknown): boolean {
  if (doc === null || typeof doc !== 'object') return false;
  const d = doc as Record<string, unknown>;
  let changed = false;
  if (d.generated_at !== undefined && !isDateTime(d.generated_at)) {
    delete d.generated_at; // rewritten on publish; the backup keeps the old value
    changed = true;
  }
  for (const m of Array.isArray(d.models) ? (d.models as unknown[]) : []) {
    const t = m !== null && typeof m === 'object' ? (m as Record<string, unknown>).training : undefined;
    if (t === null || typeof t !== 'object') continue;
    const tr = t as Record<string, unknown>;
    if (tr.training_date !== undefined && !isDateTime(tr.training_date)) {
      tr.training_date_local = tr.training_date;
      delete tr.training_date;
      changed = true;
    }
  }
  return changed;
}

/** Renders the registry exactly as written (2-space JSON, trailing newline). */
export const renderRegistry = (doc: RegistryFile) => `${JSON.stringify(doc, null, 2)}\n`;

/**
 * Publishes one model version into `outDir` (see the layout above). Refuses to touch an invalid registry.json.
 * `commit`, if given, runs after the files are written and before the lock is released (the store records the
 * alias move there, so the store and the folder agree even when promotions race); if it throws, the previous
 * model file and registry.json are put back.
 */
export async function publishModel(
  input: PublishInput,
  commit?: (result: PublishResult) => void,
): Promise<PublishResult> {
  const { outDir, modelId, version, modelBytes } = input;
  mkdirSync(join(outDir, 'versions', modelId), { recursive: true });
  const release = await acquireLock(join(outDir, LOCK_FILE), input.lock);
  try {
    const sha256 = sha256Hex(modelBytes);
    const versionFile = versionFilePath(outDir, modelId, version);
    if (existsSync(versionFile)) {
      const kept = sha256Hex(readFileSync(versionFile));
      if (kept !== sha256) {
        throw new Error(
          `${versionFile}: already holds different bytes (sha256 ${kept}) than v${version} (${sha256}); not overwriting`,
        );
      }
    } else {
      writeFileAtomic(versionFile, modelBytes);
    }

    const registryFile = join(outDir, REGISTRY_FILE);
    const { registry, normalised } = readRegistry(registryFile);
    if (normalised)
      copyFileSync(registryFile, join(outDir, 'versions', `registry.before-${Date.now()}.json`));
    const file = `${modelId}.json`;
    const entry: ModelEntry = {
      ...input.entry,
      id: modelId,
      file,
      exports: { ...input.entry.exports, sha256 },
    };
    const models = registry.models.filter((m) => m.id !== modelId);
    const at = registry.models.findIndex((m) => m.id === modelId);
    models.splice(at === -1 ? models.length : at, 0, entry);
    const next = checkRegistryFile(
      {
        ...registry,
        registry_version: REGISTRY_VERSION,
        generated_at: (input.now ?? new Date()).toISOString(),
        models,
      },
      `${registryFile} (about to be written)`,
    );

    const modelFile = join(outDir, file);
    const previousModel = existsSync(modelFile) ? readFileSync(modelFile) : null;
    const previousRegistry = existsSync(registryFile) ? readFileSync(registryFile) : null;
    const replacedSha256 = previousModel ? sha256Hex(previousModel) : null;
    writeFileAtomic(modelFile, modelBytes);
    writeFileAtomic(registryFile, renderRegistry(next));
    const result = { outDir, modelFile, registryFile, versionFile, sha256, replacedSha256, entry };
    try {
      commit?.(result);
    } catch (e) {
      if (previousModel) writeFileAtomic(modelFile, previousModel);
      else rmSync(modelFile, { force: true });
      if (previousRegistry) writeFileAtomic(registryFile, previousRegistry);
      else rmSync(registryFile, { force: true });
      throw e;
    }
    return result;
  } finally {
    await release();
  }
}
