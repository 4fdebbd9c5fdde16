/**
 * The legacy-files routes of the tracking server (`/api/tracking/legacy/…`), shared by the remote watcher and
 * the server. A remote watcher reads files on its own machine exactly as a local pass does (loadLegacyFile) and
 * sends what it read; the server imports it with the same function as a local pass (ingestLoaded).
 *
 * - `GET  legacy/files?input={host,dir}`: the records of that folder (read scope);
 * - `PUT  legacy/files?input={host,dir,relPath,mtimeMs}`: one file's bytes, header `x-kelly-sha256` (write);
 * - `POST legacy/files?input={host,dir}`: a batch of files, multipart (see LEGACY_BATCH) (write);
 * - `POST legacy/events {host,dir,relPath,kind,…}`: a file gone, too large or unreadable (write);
 * - `POST legacy/watchers {host,dir,pid}`, `POST legacy/watchers/:id/{heartbeat,stop}` (write).
 *
 * Uploads are idempotent by content, not by an op key: an upload means "this path now holds these bytes", so a
 * retried one finds the same sha256 recorded and changes nothing.
 */
import { isSafeRelPath } from '@kelly/tracking';
import type { RunStatus } from '@kelly/tracking/schema';
import { z } from 'zod';
import type { IngestDecision } from './ingest-decision';

export const LEGACY_ROUTE = 'legacy';

/** A machine name, 2-253 characters (one letter would read as a Windows drive in `host:C:\\…`). */
const HOST_LABEL = /^[A-Za-z0-9][A-Za-z0-9._-]{1,252}$/;

/** A machine name as it prefixes its files' paths on the server (`host:/abs/path`). */
export const HostSchema = z
  .string()
  .regex(HOST_LABEL, 'must be a machine name: 2-253 letters, digits and ._- (not starting with ._-)');

/** A watched folder on the client's machine: its label and absolute path there. */
export const SourceSchema = z.object({
  host: HostSchema,
  dir: z
    .string()
    .min(1)
    .max(4096)
    .refine((d) => !d.includes('\0'), 'dir must not contain NUL'),
});
export type LegacySource = z.infer<typeof SourceSchema>;

const RelPathSchema = z
  .string()
  .refine(isSafeRelPath, 'relPath must be a relative path: /-separated, no empty, . or .. segment');

/**
 * A pass sends its files in batches (`POST legacy/files?input={host,dir}`, multipart: a `manifest` part, then one
 * `file` part per entry, in order), imported in one transaction like a local pass's batch; the watcher sends a
 * changed file alone (`PUT`).
 */
export const LEGACY_BATCH = { maxFiles: 100, maxBytes: 4 * 1024 * 1024 } as const;

const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'sha256 must be 64 hex digits');

export const BatchManifestSchema = z
  .array(
    z.object({
      relPath: z
        .string()
        .refine(isSafeRelPath, 'relPath must be a relative path: /-separated, no empty, . or .. segment'),
      mtimeMs: z.number().int().nonnegative().optional(),
      sha256: Sha256Schema,
    }),
  )
  .min(1)
  .max(LEGACY_BATCH.maxFiles);
export type BatchManifest = z.infer<typeof BatchManifestSchema>;

export const UploadInputSchema = SourceSchema.extend({
  relPath: RelPathSchema,
  mtimeMs: z.number().int().nonnegative().optional(),
});
export type UploadInput = z.infer<typeof UploadInputSchema>;

/** What the client found instead of bytes (the `Loaded` kinds of loadLegacyFile without a body). */
export const EventBodySchema = z.discriminatedUnion('kind', [
  SourceSchema.extend({ kind: z.literal('gone'), relPath: RelPathSchema }),
  SourceSchema.extend({
    kind: z.literal('tooLarge'),
    relPath: RelPathSchema,
    size: z.number().int().nonnegative(),
    mtimeMs: z.number().int().nonnegative(),
  }),
  SourceSchema.extend({ kind: z.literal('unreadable'), relPath: RelPathSchema, error: z.string().max(2000) }),
]);
export type EventBody = z.infer<typeof EventBodySchema>;

export const WatcherStartSchema = SourceSchema.extend({ pid: z.number().int() });
export const WatcherHeartbeatSchema = z.object({ scanned: z.boolean().default(false) });

/** The `dir` key of a remote folder's records: `host:/abs/dir` (a local pass's key is the bare absolute path). */
export const sourceDirKey = (s: LegacySource): string => `${s.host}:${s.dir}`;

/** The `path` key of one remote file's record: `host:/abs/dir/rel/path`. */
export const sourcePathKey = (s: LegacySource, relPath: string): string =>
  `${sourceDirKey(s)}${/[\\/]$/.test(s.dir) ? '' : '/'}${relPath}`;

/** A decision as the server answers it: with its run's status (what `kelly ingest` prints). */
export type RemoteDecision = IngestDecision & { runStatus: RunStatus | null };

/**
 * The machine a record's `path`/`dir` key names, for files a remote watcher sent (`host:/abs/path`); null for a
 * file this store's own machine read (an absolute path: `/…`, `C:\\…`, `\\\\server\\…`).
 */
export function sourceHostOf(key: string): string | null {
  const colon = key.indexOf(':');
  if (colon < 2) return null;
  const host = key.slice(0, colon);
  return HOST_LABEL.test(host) ? host : null;
}
