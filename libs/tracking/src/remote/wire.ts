/**
 * The tracking server's HTTP API bodies (`/api/tracking/…`), shared by the client and the server.
 * Every write carries `op`, an idempotency key unique per operation: the server stores it with the operation's
 * rows in one transaction, so a retried or replayed operation is applied once.
 */
import { z } from 'zod';
import { MEDIA_TYPES, RUN_STATUSES } from '../db/schema';
import { MEDIA_KEY } from '../media/media-input';

/**
 * Limits of one metric batch (`POST /api/tracking/runs/:id/batches`), like MLflow's log-batch limits.
 * The client sends a batch when `batchSize` (≤ maxPoints) points are pending and at least every
 * `flushIntervalMs`; the server answers 413 to a batch over either limit.
 */
export const BATCH_LIMITS = {
  /** Points per batch. */
  maxPoints: 10_000,
  /** Bytes of one batch body (JSON). Also the limit of every other JSON body. */
  maxBodyBytes: 1024 * 1024,
  /** Characters of a metric key. */
  maxKeyLength: 250,
} as const;

/** Bytes of one artifact file upload. */
export const MAX_ARTIFACT_BYTES = 2 * 1024 ** 3;

export const API_PREFIX = '/api/tracking';

const opKey = z.string().regex(/^[A-Za-z0-9_.:-]{8,128}$/, 'op must be 8-128 characters of [A-Za-z0-9_.:-]');
const jsonObject = z.record(z.string(), z.unknown());

export const StartBodySchema = z.object({
  op: opKey,
  id: z.string().min(1).max(200),
  experiment: z.string().trim().min(1),
  name: z.string().nullable(),
  config: jsonObject,
  tags: z.array(z.string()),
  notes: z.string().nullable(),
  system: jsonObject,
  gitCommit: z.string().nullable(),
  hardware: z.string().nullable(),
  backend: z.string().nullable(),
  /** Client clock, Unix ms. */
  startedAt: z.number().int().nonnegative(),
  host: z.string(),
  pid: z.number().int(),
});
export type StartBody = z.infer<typeof StartBodySchema>;

export const ResumeBodySchema = z.object({
  op: opKey,
  at: z.number().int().nonnegative(),
  host: z.string(),
  pid: z.number().int(),
});
export type ResumeBody = z.infer<typeof ResumeBodySchema>;

const column = <T>(name: string) =>
  z.custom<T[]>((v) => Array.isArray(v), { message: `${name} must be an array` });

/** Checks every column entry by hand: zod per element costs ~2 µs a point, this loop ~0.01 µs. */
function checkColumns(b: BatchColumns, ctx: z.RefinementCtx): void {
  const n = b.k.length;
  const issue = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: 'custom', path, message });
  if (n > BATCH_LIMITS.maxPoints)
    return issue(['k'], `has ${n} points; a batch holds at most ${BATCH_LIMITS.maxPoints}`);
  const cols = { s: b.s, e: b.e, w: b.w, v: b.v, ...(b.f ? { f: b.f } : {}) };
  for (const [name, col] of Object.entries(cols))
    if (col.length !== n) return issue([name], `has ${col.length} entries, k has ${n}`);
  const nk = b.keys.length;
  const isCount = (x: unknown) => typeof x === 'number' && Number.isInteger(x) && x >= 0;
  for (let i = 0; i < n; i++) {
    const k = b.k[i];
    if (!isCount(k) || (k as number) >= nk) return issue(['k', i], `key index ${String(k)} out of range`);
    if (!isCount(b.s[i])) return issue(['s', i], `step must be an integer ≥ 0, got ${String(b.s[i])}`);
    const e = b.e[i];
    if (e !== null && !isCount(e))
      return issue(['e', i], `epoch must be an integer ≥ 0 or null, got ${String(e)}`);
    if (typeof b.w[i] !== 'number' || !Number.isFinite(b.w[i]))
      return issue(['w', i], `wall time offset must be a finite number`);
    const flag = b.f ? b.f[i] : 0;
    if (flag !== 0 && flag !== 1 && flag !== 2 && flag !== 3) return issue(['f', i], `flag must be 0-3`);
    const v = b.v[i];
    if (flag === 0 ? typeof v !== 'number' : v !== null)
      return issue(
        ['v', i],
        flag === 0 ? 'value must be a number' : 'value must be null when its flag is non-finite',
      );
  }
}

interface BatchColumns {
  keys: string[];
  k: number[];
  s: number[];
  e: (number | null)[];
  w: number[];
  v: (number | null)[];
  f?: number[];
}

/**
 * A batch of points in columns: point i is key `keys[k[i]]`, step `s[i]`, epoch `e[i]`, wall time `w0 + w[i]`
 * (ms), value `v[i]` (null when non-finite: then `f[i]` is 1 NaN, 2 +Infinity, 3 −Infinity; `f` is omitted
 * when every value is finite). An empty batch is a heartbeat. Parse its text with plain `JSON.parse`.
 */
export const BatchBodySchema = z
  .object({
    op: opKey,
    keys: z.array(z.string().min(1).max(BATCH_LIMITS.maxKeyLength)),
    k: column<number>('k'),
    s: column<number>('s'),
    e: column<number | null>('e'),
    w0: z.number(),
    w: column<number>('w'),
    v: column<number | null>('v'),
    f: column<number>('f').optional(),
  })
  .superRefine(checkColumns);
export type BatchBody = z.infer<typeof BatchBodySchema>;

export const UpdateBodySchema = z.object({
  op: opKey,
  tags: z.array(z.string()).optional(),
  notes: z.string().optional(),
  system: jsonObject.optional(),
});
export type UpdateBody = z.infer<typeof UpdateBodySchema>;

export const ArtifactBodySchema = z.object({
  op: opKey,
  kind: z.string().min(1),
  name: z.string().min(1),
  /** Path under the run's artifact folder (`<root>/<runId>/<path>`), `/`-separated, no `..`. */
  path: z.string().min(1),
  /** sha256 of the file, or of the sorted manifest of a directory (see hashPath). */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().nonnegative(),
  createdAt: z.number().int().nonnegative(),
});
export type ArtifactBody = z.infer<typeof ArtifactBodySchema>;

export const EndBodySchema = z.object({
  op: opKey,
  status: z.enum(RUN_STATUSES).exclude(['RUNNING', 'CRASHED']),
  error: z
    .object({
      errorType: z.string(),
      errorMessage: z.string(),
      errorStack: z.string().nullable(),
    })
    .nullable(),
  /** Client clock, Unix ms. */
  at: z.number().int().nonnegative(),
});
export type EndBody = z.infer<typeof EndBodySchema>;

/** A media item whose file was uploaded to `media/<key>/<step>.<wav|png>` under the run's folder. */
export const MediaBodySchema = z.object({
  op: opKey,
  key: z.string().regex(MEDIA_KEY, 'key must be path-like: letters, digits, ._- and / between parts'),
  step: z.number().int().nonnegative(),
  epoch: z.number().int().nonnegative().nullable(),
  mime: z.enum(MEDIA_TYPES),
  caption: z.string().max(500).nullable(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type MediaBody = z.infer<typeof MediaBodySchema>;

/** `media/<key>/<step>.<ext>`: where a media item's file sits under its run's folder (the local layout too). */
export const mediaRelPath = (key: string, step: number, mime: string) =>
  `media/${key}/${step}.${mime === 'audio/wav' ? 'wav' : 'png'}`;

/** A relative artifact path: `/`-separated segments, none empty, `.` or `..`. */
export function isSafeRelPath(p: string): boolean {
  return (
    p.length > 0 &&
    p.length <= 1000 &&
    !p.includes('\\') &&
    !p.includes('\0') &&
    p.split('/').every((s) => s !== '' && s !== '.' && s !== '..')
  );
}
