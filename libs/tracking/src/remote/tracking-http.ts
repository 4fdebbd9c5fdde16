import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { decodeJson, encodeJson } from '../db/json-column';
import { hashPath } from '../file-hash';
import type { SendOutcome } from './op-queue';
import type { SpoolOp } from './spool';
import { API_PREFIX } from './wire';

/** A read request the server answered with an error status (or that could not reach it: status 0). */
export class TrackingServerError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const RETRY_STATUSES = new Set([401, 403, 408, 425, 429]);

const describe = (e: unknown): string => {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (e instanceof Error ? e.message : String(e));
};

/** The HTTP side of a remote client: one server URL, one optional bearer token. */
export class TrackingHttp {
  constructor(
    readonly uri: string,
    private readonly token: string | undefined,
    private readonly timeoutMs = 30_000,
  ) {}

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...extra };
  }

  url(path: string): string {
    return `${this.uri}${API_PREFIX}${path}`;
  }

  /** A read route's decoded JSON. @throws TrackingServerError (status 0 when unreachable). */
  async get<T>(path: string, input?: unknown): Promise<T> {
    const q = input === undefined ? '' : `?input=${encodeURIComponent(encodeJson(input))}`;
    let res: Response;
    try {
      res = await fetch(this.url(path) + q, {
        headers: this.headers(),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      throw new TrackingServerError(0, `cannot reach the tracking server ${this.uri}: ${describe(e)}`);
    }
    const text = await res.text();
    if (!res.ok) throw new TrackingServerError(res.status, `${this.uri}: ${res.status} ${errorOf(text)}`);
    return decodeJson(text) as T;
  }

  /** Sends one queued op (artifacts: uploads the files, then registers them). */
  async send(op: SpoolOp): Promise<SendOutcome> {
    const run = encodeURIComponent(op.run);
    try {
      switch (op.t) {
        case 'start':
          return await this.write('POST', '/runs', op.body);
        case 'resume':
          return await this.write('POST', `/runs/${run}/resume`, op.body);
        case 'batch':
          return await this.write('POST', `/runs/${run}/batches`, op.body);
        case 'update':
          return await this.write('PATCH', `/runs/${run}`, op.body);
        case 'end':
          return await this.write('POST', `/runs/${run}/end`, op.body);
        case 'artifact':
          return await this.sendArtifact(op);
        case 'media':
          return await this.sendMedia(op);
      }
    } catch (e) {
      return { kind: 'retry', error: `cannot reach the tracking server ${this.uri}: ${describe(e)}` };
    }
  }

  private async write(
    method: string,
    path: string,
    body: string | ReadableStream<Uint8Array>,
    headers: Record<string, string> = {},
  ): Promise<SendOutcome> {
    const res = await fetch(this.url(path), {
      method,
      headers: this.headers(
        typeof body === 'string' ? { 'content-type': 'application/json', ...headers } : headers,
      ),
      body,
      signal: AbortSignal.timeout(typeof body === 'string' ? this.timeoutMs : 3_600_000),
      // @ts-expect-error Node's fetch needs duplex for a streamed body; lib.dom's RequestInit lacks it
      duplex: 'half',
    });
    const text = await res.text();
    if (res.ok) return { kind: 'done' };
    const error = `${res.status} from ${this.uri}${API_PREFIX}${path}: ${errorOf(text)}`;
    return RETRY_STATUSES.has(res.status) || res.status >= 500
      ? { kind: 'retry', error }
      : { kind: 'fatal', error };
  }

  /** Uploads a media file to its place under the run, then has the server index it (same key and step: replaced). */
  private async sendMedia(op: SpoolOp): Promise<SendOutcome> {
    const info = await stat(op.file!).catch(() => null);
    if (!info) return { kind: 'fatal', error: `media file ${op.file!} no longer exists; nothing to upload` };
    const { sha256 } = await hashPath(op.file!);
    const run = encodeURIComponent(op.run);
    const path = `/runs/${run}/files/${op.rel!.split('/').map(encodeURIComponent).join('/')}`;
    const body = Readable.toWeb(createReadStream(op.file!)) as ReadableStream<Uint8Array>;
    const r = await this.write('PUT', path, body, {
      'x-kelly-sha256': sha256,
      'content-type': 'application/octet-stream',
    });
    if (r.kind !== 'done') return r;
    return this.write(
      'POST',
      `/runs/${run}/media`,
      JSON.stringify({ ...(JSON.parse(op.body) as object), sha256 }),
    );
  }

  /** Uploads a file or every file of a folder (sha256 checked by the server), then registers the artifact. */
  private async sendArtifact(op: SpoolOp): Promise<SendOutcome> {
    const src = op.file!;
    const info = await stat(src).catch(() => null);
    if (!info) return { kind: 'fatal', error: `artifact ${src} no longer exists; nothing to upload` };
    const files = info.isFile()
      ? [{ abs: src, rel: op.rel! }]
      : (await readdir(src, { recursive: true, withFileTypes: true }))
          .filter((d) => d.isFile())
          .map((d) => join(d.parentPath, d.name))
          .sort()
          .map((abs) => ({ abs, rel: `${op.rel!}/${relative(src, abs).split('\\').join('/')}` }));
    for (const f of files) {
      const { sha256 } = await hashPath(f.abs);
      const path = `/runs/${encodeURIComponent(op.run)}/files/${f.rel.split('/').map(encodeURIComponent).join('/')}`;
      const body = Readable.toWeb(createReadStream(f.abs)) as ReadableStream<Uint8Array>;
      const r = await this.write('PUT', path, body, {
        'x-kelly-sha256': sha256,
        'content-type': 'application/octet-stream',
      });
      if (r.kind !== 'done') return r;
    }
    // the content as uploaded now: a file rewritten since logArtifact is recorded as it was sent
    const { sha256, bytes } = await hashPath(src);
    const body = { ...(JSON.parse(op.body) as object), sha256, bytes };
    return this.write('POST', `/runs/${encodeURIComponent(op.run)}/artifacts`, JSON.stringify(body));
  }
}

function errorOf(text: string): string {
  try {
    const doc = JSON.parse(text) as { error?: unknown };
    return typeof doc.error === 'string' ? doc.error : text.slice(0, 300);
  } catch {
    return text.slice(0, 300);
  }
}
