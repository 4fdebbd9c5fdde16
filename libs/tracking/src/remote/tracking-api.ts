/**
 * The tracking server's HTTP API under `/api/tracking/`, as a Web-standard `(Request) => Promise<Response>`
 * handler: the dashboard's Next.js route and the headless server (`serveTrackingApi`) both call it.
 *
 * Writes (`POST /runs`, `POST /runs/:id/{resume,batches,artifacts,end}`, `PATCH /runs/:id`,
 * `PUT /runs/:id/files/<path>`) and reads (`GET /runs`, `/runs/:id`, `/series`, `/compare`, `/anomalies`,
 * `/health`). When tokens exist every request needs `Authorization: Bearer <token>` (writes a `write` token);
 * without tokens the server only listens on loopback (see serveTrackingApi), the zero-setup default.
 * JSON bodies are encoded with `encodeJson` (NaN/±Infinity kept); errors are `{ error }` with a 4xx/5xx status.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { decodeJson, encodeJson } from '../db/json-column';
import type { TokenScope } from '../db/schema';
import { ListAnomaliesInputSchema, listAnomalies } from '../queries/anomaly-queries';
import { CompareRunsInputSchema, compareRuns } from '../queries/compare-runs';
import { getRun } from '../queries/get-run';
import { ListRunsInputSchema, listRuns } from '../queries/list-runs';
import { MetricSeriesInputSchema, metricSeries } from '../queries/metric-series';
import { RunNotFoundError } from '../queries/run-item';
import type { Tracker } from '../tracker';
import { RemoteOpError, RemoteRuns } from './remote-runs';
import { bearerToken, tokensConfigured, verifyToken, type TokenCheck } from './tokens';
import {
  API_PREFIX,
  ArtifactBodySchema,
  BATCH_LIMITS,
  BatchBodySchema,
  EndBodySchema,
  MAX_ARTIFACT_BYTES,
  MediaBodySchema,
  ResumeBodySchema,
  StartBodySchema,
  UpdateBodySchema,
} from './wire';

/** An error answered with its HTTP status (extra routes throw it too: exported as `TrackingApiError`). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(encodeJson(body), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
  });

/**
 * Checks an `Authorization` header for a scope on this store: ok when it carries a valid, unrevoked token of
 * that scope (`write` also reads), or when tokens are neither required (`requireToken`: a server beyond
 * loopback) nor were ever created (the loopback zero-setup default). The dashboard's security proxy calls this to
 * let `/api/tracking/` requests with a valid token through.
 */
export function checkTrackingAuth(
  tracker: Tracker,
  authorization: string | null | undefined,
  scope: TokenScope,
  requireToken = false,
): TokenCheck | { ok: true; id: null; scope: 'none' } {
  if (!requireToken && !tokensConfigured(tracker.sql)) return { ok: true, id: null, scope: 'none' };
  return verifyToken(tracker.sql, bearerToken(authorization), scope);
}

function authorize(tracker: Tracker, req: Request, scope: TokenScope, requireToken: boolean): void {
  const check = checkTrackingAuth(tracker, req.headers.get('authorization'), scope, requireToken);
  if (check.ok) return;
  const why = {
    missing: 'this server requires a token: send Authorization: Bearer <token> (KELLY_TRACKING_TOKEN)',
    malformed: 'the token is malformed (expected kelly_<id>_<secret>)',
    unknown: 'the token is not known to this server',
    revoked: 'the token was revoked',
    scope: `the token has scope read; this request needs a ${scope} token`,
  }[check.reason];
  throw new HttpError(check.reason === 'scope' ? 403 : 401, why, {
    'www-authenticate': 'Bearer realm="kelly"',
  });
}

/** Reads a body up to `limit` bytes (413 beyond). */
async function readText(req: Request, limit: number): Promise<string> {
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (declared > limit) throw new HttpError(413, `body of ${declared} bytes exceeds the limit of ${limit}`);
  if (!req.body) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of req.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    if (total > limit) throw new HttpError(413, `body exceeds the limit of ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A JSON body validated by `schema`; `plain`: parse without the non-finite reviver (batches carry flags). */
async function readBody<T extends z.ZodType>(req: Request, schema: T, plain = false): Promise<z.infer<T>> {
  const text = await readText(req, BATCH_LIMITS.maxBodyBytes);
  let raw: unknown;
  try {
    raw = text ? (plain ? JSON.parse(text) : decodeJson(text)) : {};
  } catch (e) {
    throw new HttpError(400, `body is not JSON: ${(e as Error).message}`);
  }
  return parse(schema, raw, 'body');
}

function parse<T extends z.ZodType>(schema: T, raw: unknown, where: string): z.infer<T> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw new HttpError(400, `${where}.${issue.path.join('.') || '(root)'}: ${issue.message}`);
}

/** The `input` query parameter (JSON) of a read route, validated. */
function queryInput<T extends z.ZodType>(url: URL, schema: T): z.infer<T> {
  const text = url.searchParams.get('input');
  let raw: unknown = {};
  if (text) {
    try {
      raw = decodeJson(text);
    } catch (e) {
      throw new HttpError(400, `input is not JSON: ${(e as Error).message}`);
    }
  }
  return parse(schema, raw, 'input');
}

/** Streams an upload into `file` (through a temp file), checking size and the sha256 the client declared. */
async function receiveFile(req: Request, file: string): Promise<{ sha256: string; bytes: number }> {
  const expected = req.headers.get('x-kelly-sha256');
  if (!expected || !/^[0-9a-f]{64}$/.test(expected))
    throw new HttpError(400, "header x-kelly-sha256: the upload's sha256 (64 hex digits) is required");
  if (!req.body) throw new HttpError(400, 'upload has no body');
  const tmp = `${file}.upload-${randomBytes(4).toString('hex')}`;
  const hash = createHash('sha256');
  let bytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      if (bytes > MAX_ARTIFACT_BYTES)
        return done(new HttpError(413, `upload exceeds ${MAX_ARTIFACT_BYTES} bytes`));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(
      Readable.fromWeb(req.body as Parameters<typeof Readable.fromWeb>[0]),
      meter,
      createWriteStream(tmp),
    );
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  const sha256 = hash.digest('hex');
  if (sha256 !== expected) {
    await rm(tmp, { force: true });
    throw new HttpError(
      422,
      `upload arrived with sha256 ${sha256} (${bytes} bytes), client declared ${expected}`,
    );
  }
  await rename(tmp, file);
  return { sha256, bytes };
}

export interface TrackingApi {
  /** Answers one request whose path starts with `/api/tracking` (anything else: 404). */
  handle(req: Request): Promise<Response>;
  /** The server side of remote runs (exposed for tests). */
  readonly runs: RemoteRuns;
}

export interface TrackingApiOptions {
  /** Require a token even before any was created (a server reachable beyond loopback). Default false. */
  requireToken?: boolean;
  /** Routes of libs built on tracking (e.g. `legacyFilesRoute` of @kelly/legacy), under `/api/tracking/<prefix>`. */
  routes?: TrackingRoute[];
}

/**
 * A route another lib adds to the API (tracking cannot import the libs built on it): it answers every request
 * whose first path segment is `prefix`, with the same token rules and error answers as the built-in routes.
 */
export interface TrackingRoute {
  prefix: string;
  handle(req: Request, ctx: TrackingRouteContext): Promise<Response>;
}

/** What a TrackingRoute gets: its path, the token check and the API's body and answer helpers. */
export interface TrackingRouteContext {
  url: URL;
  /** Decoded path segments after the prefix. */
  parts: string[];
  /** @throws HttpError 401/403 unless the request may use `scope` (same rules as every route). */
  authorize(scope: TokenScope): void;
  /** A JSON body (≤ 1 MiB) validated by `schema`. @throws HttpError 400/413 */
  readBody<T extends z.ZodType>(schema: T): Promise<z.infer<T>>;
  /** The `input` query parameter (JSON) validated by `schema`. @throws HttpError 400 */
  queryInput<T extends z.ZodType>(schema: T): z.infer<T>;
  json(status: number, body: unknown): Response;
}

/** Builds the API over one tracker (the server process's store). */
export function createTrackingApi(tracker: Tracker, options: TrackingApiOptions = {}): TrackingApi {
  const runs = new RemoteRuns(tracker);
  const requireToken = options.requireToken ?? false;
  const extra = new Map((options.routes ?? []).map((r) => [r.prefix, r]));

  async function route(req: Request, url: URL): Promise<Response> {
    const path = url.pathname.slice(API_PREFIX.length).replace(/\/+$/, '') || '/';
    const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
    const m = req.method;
    const [head, id, sub, ...rest] = parts;

    const route = head === undefined ? undefined : extra.get(head);
    if (route)
      return route.handle(req, {
        url,
        parts: parts.slice(1),
        authorize: (scope) => authorize(tracker, req, scope, requireToken),
        readBody: (schema) => readBody(req, schema),
        queryInput: (schema) => queryInput(url, schema),
        json: (status, body) => json(status, body),
      });
    if (head === 'health' && parts.length === 1 && m === 'GET')
      return json(200, { ok: true, tokens: tokensConfigured(tracker.sql), artifacts: 'upload' });

    if (head === 'runs' && parts.length === 1) {
      if (m === 'GET') {
        authorize(tracker, req, 'read', requireToken);
        return json(200, listRuns(tracker, queryInput(url, ListRunsInputSchema)));
      }
      if (m === 'POST') {
        authorize(tracker, req, 'write', requireToken);
        const b = await readBody(req, StartBodySchema);
        return json(200, runs.start(b));
      }
    }
    if (head === 'runs' && id !== undefined) {
      if (sub === undefined) {
        if (m === 'GET') {
          authorize(tracker, req, 'read', requireToken);
          return json(200, getRun(tracker, id));
        }
        if (m === 'PATCH') {
          authorize(tracker, req, 'write', requireToken);
          return json(200, runs.update(id, await readBody(req, UpdateBodySchema)));
        }
      }
      if (m === 'POST' && rest.length === 0) {
        if (sub === 'batches') {
          authorize(tracker, req, 'write', requireToken);
          return json(200, runs.appendBatch(id, await readBody(req, BatchBodySchema, true)));
        }
        if (sub === 'resume') {
          authorize(tracker, req, 'write', requireToken);
          return json(200, runs.resume(id, await readBody(req, ResumeBodySchema)));
        }
        if (sub === 'end') {
          authorize(tracker, req, 'write', requireToken);
          return json(200, runs.end(id, await readBody(req, EndBodySchema)));
        }
        if (sub === 'media') {
          authorize(tracker, req, 'write', requireToken);
          return json(200, await runs.logMedia(id, await readBody(req, MediaBodySchema)));
        }
        if (sub === 'artifacts') {
          authorize(tracker, req, 'write', requireToken);
          return json(200, await runs.registerArtifact(id, await readBody(req, ArtifactBodySchema)));
        }
      }
      if (sub === 'files' && m === 'PUT' && rest.length > 0) {
        authorize(tracker, req, 'write', requireToken);
        const file = runs.artifactFile(id, rest.join('/'));
        await runs.prepareUpload(file);
        return json(200, await receiveFile(req, file));
      }
    }
    if (parts.length === 1 && m === 'GET') {
      if (head === 'series') {
        authorize(tracker, req, 'read', requireToken);
        return json(200, metricSeries(tracker, queryInput(url, MetricSeriesInputSchema)));
      }
      if (head === 'compare') {
        authorize(tracker, req, 'read', requireToken);
        return json(200, compareRuns(tracker, queryInput(url, CompareRunsInputSchema)));
      }
      if (head === 'anomalies') {
        authorize(tracker, req, 'read', requireToken);
        return json(200, listAnomalies(tracker, queryInput(url, ListAnomaliesInputSchema)));
      }
    }
    throw new HttpError(404, `no route ${m} ${url.pathname}`);
  }

  return {
    runs,
    async handle(req) {
      const url = new URL(req.url);
      if (!url.pathname.startsWith(API_PREFIX)) return json(404, { error: `not under ${API_PREFIX}` });
      try {
        return await route(req, url);
      } catch (e) {
        if (e instanceof HttpError) return json(e.status, { error: e.message }, e.headers);
        if (e instanceof RemoteOpError) return json(e.status, { error: e.message });
        if (e instanceof RunNotFoundError) return json(404, { error: e.message });
        if (e instanceof z.ZodError) {
          const issue = e.issues[0];
          return json(400, { error: `input.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}` });
        }
        tracker.settings.onBackgroundError(e);
        return json(500, { error: `internal error: ${e instanceof Error ? e.message : String(e)}` });
      }
    },
  };
}
