import { createHash } from 'node:crypto';
import {
  TrackingApiError,
  withBusyRetry,
  type Tracker,
  type TrackingRoute,
  type TrackingRouteContext,
} from '@kelly/tracking';
import { dirRecords } from './dir-report';
import type { IngestDecision, IngestOptions } from './ingest-decision';
import { ingestLoaded } from './ingest-dir';
import { heartbeatWatcher, startWatcherRecord, stopWatcherRecord } from './ingest-queries';
import { MAX_LEGACY_FILE_BYTES, type Loaded } from './load-legacy-file';
import {
  BatchManifestSchema,
  EventBodySchema,
  LEGACY_ROUTE,
  type RemoteDecision,
  SourceSchema,
  sourceDirKey,
  sourcePathKey,
  UploadInputSchema,
  WatcherHeartbeatSchema,
  WatcherStartSchema,
} from './remote-wire';
import type { RunStatus } from '@kelly/tracking/schema';

/**
 * Reads an upload into memory (a legacy file is at most MAX_LEGACY_FILE_BYTES), hashing it as it arrives.
 * @throws TrackingApiError 400 without a sha256 header, 413 over the limit, 422 when the bytes hash otherwise
 */
async function receiveBytes(req: Request): Promise<Uint8Array> {
  const expected = req.headers.get('x-kelly-sha256');
  if (!expected || !/^[0-9a-f]{64}$/.test(expected))
    throw new TrackingApiError(400, "header x-kelly-sha256: the file's sha256 (64 hex digits) is required");
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (declared > MAX_LEGACY_FILE_BYTES)
    throw new TrackingApiError(413, `a legacy file of ${declared} bytes exceeds ${MAX_LEGACY_FILE_BYTES}`);
  const hash = createHash('sha256');
  const chunks: Uint8Array[] = [];
  let total = 0;
  if (req.body)
    for await (const chunk of req.body as unknown as AsyncIterable<Uint8Array>) {
      total += chunk.byteLength;
      if (total > MAX_LEGACY_FILE_BYTES)
        throw new TrackingApiError(413, `a legacy file exceeds ${MAX_LEGACY_FILE_BYTES} bytes`);
      hash.update(chunk);
      chunks.push(chunk);
    }
  const sha256 = hash.digest('hex');
  if (sha256 !== expected)
    throw new TrackingApiError(
      422,
      `upload arrived with sha256 ${sha256} (${total} bytes), client declared ${expected}`,
    );
  return Buffer.concat(chunks);
}

/** Largest batch body: the client keeps batches under LEGACY_BATCH.maxBytes unless one file alone is bigger. */
const MAX_BATCH_BODY = MAX_LEGACY_FILE_BYTES + 1024 * 1024;

/**
 * Reads a batch upload (multipart: `manifest`, then a `file` part per entry), checking each file's sha256.
 * @throws TrackingApiError 411/413 (length), 400 (form, manifest), 422 (a file that hashes otherwise)
 */
async function receiveBatch(
  req: Request,
): Promise<{ relPath: string; mtimeMs?: number; bytes: Uint8Array }[]> {
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (!Number.isFinite(declared)) throw new TrackingApiError(411, 'a batch upload needs a content-length');
  if (declared > MAX_BATCH_BODY)
    throw new TrackingApiError(413, `a batch of ${declared} bytes exceeds ${MAX_BATCH_BODY}`);
  let form: FormData;
  try {
    form = await req.formData();
  } catch (e) {
    throw new TrackingApiError(400, `body is not multipart/form-data: ${(e as Error).message}`);
  }
  const text = form.get('manifest');
  let raw: unknown;
  try {
    raw = JSON.parse(typeof text === 'string' ? text : '');
  } catch {
    throw new TrackingApiError(400, 'manifest: a JSON part named manifest is required');
  }
  const parsed = BatchManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TrackingApiError(
      400,
      `manifest.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
    );
  }
  const parts = form.getAll('file');
  if (parts.length !== parsed.data.length)
    throw new TrackingApiError(
      400,
      `${parts.length} file part(s) for ${parsed.data.length} manifest entries`,
    );
  return Promise.all(
    parsed.data.map(async (entry, i) => {
      const part = parts[i];
      if (typeof part === 'string') throw new TrackingApiError(400, `file part ${i} is not a file`);
      const bytes = new Uint8Array(await part!.arrayBuffer());
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      if (sha256 !== entry.sha256)
        throw new TrackingApiError(
          422,
          `${entry.relPath} arrived with sha256 ${sha256} (${bytes.length} bytes), client declared ${entry.sha256}`,
        );
      return { relPath: entry.relPath, mtimeMs: entry.mtimeMs, bytes };
    }),
  );
}

/**
 * The tracking server's legacy-files routes (see remote-wire.ts), to pass in `routes` of `createTrackingApi` /
 * `serveTrackingApi`. Files a remote watcher sends are imported with the local pipeline (`ingestLoaded`) under
 * `host:/abs/path` keys, so the ingestion view shows where each came from. `onDocument` as for `ingestDir`
 * (e.g. `registryModelHistory(tracker)`).
 */
export function legacyFilesRoute(
  tracker: Tracker,
  options: Pick<IngestOptions, 'onDocument'> = {},
): TrackingRoute {
  const statusQuery = tracker.sql.prepare(`SELECT status FROM runs WHERE id = ?`).pluck();
  const statusOf = (runId: string | null): RunStatus | null =>
    runId ? ((statusQuery.get(runId) as RunStatus | undefined) ?? null) : null;
  const answer = (ctx: TrackingRouteContext, d: IngestDecision) =>
    ctx.json(200, { ...d, runStatus: statusOf(d.runId) } satisfies RemoteDecision);

  return {
    prefix: LEGACY_ROUTE,
    async handle(req, ctx) {
      const [head, id, action, ...more] = ctx.parts;
      const m = req.method;
      if (head === 'files' && id === undefined) {
        if (m === 'GET') {
          ctx.authorize('read');
          return ctx.json(200, { files: dirRecords(tracker, sourceDirKey(ctx.queryInput(SourceSchema))) });
        }
        if (m === 'POST') {
          ctx.authorize('write');
          const src = ctx.queryInput(SourceSchema);
          const files = await receiveBatch(req);
          const dir = sourceDirKey(src);
          // one transaction for the batch (a savepoint per file), as a local pass's batch
          const decisions = withBusyRetry(() =>
            tracker.sql
              .transaction(() =>
                files.map(({ relPath, mtimeMs, bytes }) => {
                  const input = { path: sourcePathKey(src, relPath), dir, relPath, bytes, mtimeMs };
                  return ingestLoaded(tracker, dir, { kind: 'file', input }, options);
                }),
              )
              .immediate(),
          );
          return ctx.json(200, {
            decisions: decisions.map((d): RemoteDecision => ({ ...d, runStatus: statusOf(d.runId) })),
          });
        }
        if (m === 'PUT') {
          ctx.authorize('write');
          const q = ctx.queryInput(UploadInputSchema);
          const bytes = await receiveBytes(req);
          const dir = sourceDirKey(q);
          const input = {
            path: sourcePathKey(q, q.relPath),
            dir,
            relPath: q.relPath,
            bytes,
            mtimeMs: q.mtimeMs,
          };
          return answer(ctx, ingestLoaded(tracker, dir, { kind: 'file', input }, options));
        }
      }
      if (head === 'events' && id === undefined && m === 'POST') {
        ctx.authorize('write');
        const e = await ctx.readBody(EventBodySchema);
        const path = sourcePathKey(e, e.relPath);
        const loaded: Loaded =
          e.kind === 'gone'
            ? { kind: 'gone', path }
            : e.kind === 'tooLarge'
              ? { kind: 'tooLarge', path, relPath: e.relPath, size: e.size, mtimeMs: e.mtimeMs }
              : { kind: 'unreadable', path, relPath: e.relPath, error: e.error };
        return answer(ctx, ingestLoaded(tracker, sourceDirKey(e), loaded, options));
      }
      if (head === 'watchers' && m === 'POST' && more.length === 0) {
        ctx.authorize('write');
        if (id === undefined) {
          const w = await ctx.readBody(WatcherStartSchema);
          const wid = startWatcherRecord(tracker, sourceDirKey(w), Date.now(), { host: w.host, pid: w.pid });
          return ctx.json(200, { id: wid });
        }
        const wid = Number(id);
        if (!Number.isInteger(wid) || wid <= 0)
          throw new TrackingApiError(400, `watcher id must be a positive integer, got ${id}`);
        if (action === 'heartbeat') {
          heartbeatWatcher(tracker, wid, await ctx.readBody(WatcherHeartbeatSchema));
          return ctx.json(200, { ok: true });
        }
        if (action === 'stop') {
          stopWatcherRecord(tracker, wid);
          return ctx.json(200, { ok: true });
        }
      }
      throw new TrackingApiError(404, `no route ${m} ${ctx.url.pathname}`);
    },
  };
}
