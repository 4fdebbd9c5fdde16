import { API_PREFIX, decodeJson, encodeJson, parseTrackingUri } from '@kelly/tracking';
import { hostname } from 'node:os';
import { HostSchema } from './remote-wire';

/** A request the server refused, or could not be sent (status 0: unreachable, or the client was stopped). */
export class RemoteIngestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface RemoteIngestOptions {
  /** `http://host:port` of a Kelly server (KELLY_TRACKING_URI / --tracking-uri). */
  trackingUri: string;
  /** Bearer token with write scope (KELLY_TRACKING_TOKEN), needed once the server has tokens. */
  token?: string;
  /** This machine's name in the server's records (`host:/abs/path`); default os.hostname(). */
  host?: string;
  /**
   * How long a request is retried while the server is unreachable or answers 5xx/408/429/422 (ms; default
   * Infinity: the watcher waits for the server). A 401 before the server ever accepted a request fails at once
   * (a wrong token); after that it is retried and logged like any failure (a token revoked, or first required,
   * while watching: the watcher keeps watching, as a trainer keeps spooling); a 403 (a read token) and other 4xx
   * fail at once.
   */
  giveUpAfterMs?: number;
  /** Longest wait between two attempts (ms, default 30000); waits double from 250 ms. */
  maxBackoffMs?: number;
  /** One line per failed attempt (default none). */
  log?: (line: string) => void;
}

/** Retried statuses (besides 5xx and unreachable): timeouts, rate limits, an upload damaged in transit. */
const TRANSIENT = new Set([408, 425, 429, 422]);
/** Per attempt: a legacy file is ≤ 64 MiB. */
const ATTEMPT_TIMEOUT_MS = 120_000;

const describe = (e: unknown): string => {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (e instanceof Error ? e.message : String(e));
};

function errorOf(text: string): string {
  try {
    const doc = JSON.parse(text) as { error?: unknown };
    return typeof doc.error === 'string' ? doc.error : text.trim().slice(0, 300);
  } catch {
    return text.trim().slice(0, 300);
  }
}

/** The HTTP side of a remote watcher: one server, one token, retries with exponential backoff. */
export class RemoteIngestClient {
  readonly uri: string;
  readonly host: string;
  private readonly stop = new AbortController();
  /** True once the server accepted a request of this client (its token is right). */
  private reached = false;

  constructor(private readonly options: RemoteIngestOptions) {
    this.uri = parseTrackingUri(options.trackingUri);
    const host = options.host ?? hostname().replace(/[^A-Za-z0-9._-]/g, '-');
    const checked = HostSchema.safeParse(host);
    if (!checked.success)
      throw new Error(`host label "${host}": ${checked.error.issues[0]?.message ?? 'invalid'}`);
    this.host = checked.data;
  }

  /**
   * One request under `/api/tracking/legacy/`, retried as the options say; `input` goes in the query string,
   * `json`, `bytes` (with its sha256) or a multipart `form` in the body. `once`: a single attempt (heartbeats).
   * @throws RemoteIngestError naming the server and what it answered
   */
  async request<T>(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    body: {
      input?: unknown;
      json?: unknown;
      bytes?: Uint8Array;
      sha256?: string;
      form?: FormData;
      once?: boolean;
    } = {},
  ): Promise<T> {
    const where = `${this.uri}${API_PREFIX}/legacy/${path}`;
    const url =
      body.input === undefined ? where : `${where}?input=${encodeURIComponent(encodeJson(body.input))}`;
    const headers: Record<string, string> = this.options.token
      ? { authorization: `Bearer ${this.options.token}` }
      : {};
    if (body.json !== undefined) headers['content-type'] = 'application/json';
    if (body.bytes) {
      headers['content-type'] = 'application/octet-stream';
      headers['x-kelly-sha256'] = body.sha256 ?? '';
    }
    const started = Date.now();
    const giveUpAfter = body.once ? 0 : (this.options.giveUpAfterMs ?? Infinity);
    for (let attempt = 0; ; attempt++) {
      if (this.stop.signal.aborted && !body.once)
        throw new RemoteIngestError(0, `stopped before ${method} ${where} was answered`);
      // after abort(), only single attempts (a watcher's stop record) are still made, with a short timeout
      const signal = body.once
        ? AbortSignal.timeout(5000)
        : AbortSignal.any([this.stop.signal, AbortSignal.timeout(ATTEMPT_TIMEOUT_MS)]);
      let status = 0;
      let error: string;
      try {
        const res = await fetch(url, {
          method,
          headers,
          // the bytes read from disk (a Buffer: ArrayBuffer-backed, which lib.dom's BodyInit wants spelled out)
          body:
            body.form ??
            (body.bytes as Uint8Array<ArrayBuffer> | undefined) ??
            (body.json === undefined ? undefined : encodeJson(body.json)),
          signal,
        });
        const text = await res.text();
        if (res.ok) {
          this.reached = true;
          return decodeJson(text) as T;
        }
        status = res.status;
        error = `${status} from ${where}: ${errorOf(text)}`;
        if (status === 404 && /^no route /.test(errorOf(text)))
          error +=
            ' (a Kelly server without the legacy-files route: kelly server, dashboard:serve-api or the dashboard serve it)';
      } catch (e) {
        if (this.stop.signal.aborted && !body.once)
          throw new RemoteIngestError(0, `stopped before ${method} ${where} was answered`);
        error = `cannot reach the tracking server ${this.uri}: ${describe(e)}`;
      }
      const revoked = status === 401 && this.reached;
      const transient = status === 0 || status >= 500 || TRANSIENT.has(status) || revoked;
      if (!transient || Date.now() - started >= giveUpAfter) throw new RemoteIngestError(status, error);
      const wait = Math.min(this.options.maxBackoffMs ?? 30_000, 250 * 2 ** Math.min(attempt, 20));
      this.options.log?.(`${error}; retrying in ${(wait / 1000).toFixed(wait < 1000 ? 2 : 0)} s`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        this.stop.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      });
    }
  }

  /** Stops waiting: requests in flight or in backoff fail with status 0, later ones at once (`once` ones still go). */
  abort(): void {
    this.stop.abort();
  }
}
