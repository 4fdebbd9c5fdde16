import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { Readable } from 'node:stream';
import type { Tracker } from '../tracker';
import { createTrackingApi, type TrackingApi, type TrackingRoute } from './tracking-api';
import { writeTokenExists } from './tokens';

/** True for `localhost`, 127.0.0.0/8 and ::1 (the hosts the server may listen on without tokens). */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  return h === '::1';
}

/**
 * @throws when `host` is beyond loopback and the store has no unrevoked token: a tracking server reachable
 * from other machines must not accept writes from anyone.
 */
export function assertListenAllowed(tracker: Tracker, host: string): void {
  if (!isLoopbackHost(host) && !writeTokenExists(tracker.sql))
    throw new Error(
      `refusing to listen on ${host} without tokens: create one with \`kelly token create --scope write\` (or listen on 127.0.0.1)`,
    );
}

export interface ServeTrackingOptions {
  tracker: Tracker;
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /** How often the heartbeat sweep marks silent RUNNING runs CRASHED (default staleAfterS/4). */
  sweepMs?: number;
  /** Extra routes (see TrackingApiOptions.routes), e.g. `legacyFilesRoute` of @kelly/legacy. */
  routes?: TrackingRoute[];
}

export interface TrackingServer {
  /** `http://host:port` (what clients put in KELLY_TRACKING_URI). */
  url: string;
  port: number;
  api: TrackingApi;
  close(): Promise<void>;
}

/** Adapts a Node request to a Web Request (the body streamed, never buffered here). */
function toRequest(req: IncomingMessage, base: string): Request {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers))
    if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new Request(new URL(req.url ?? '/', base), {
    method: req.method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
    // @ts-expect-error Node's fetch needs duplex for a streamed body; lib.dom's RequestInit lacks it
    duplex: 'half',
  });
}

async function send(res: ServerResponse, response: Response): Promise<void> {
  res.statusCode = response.status;
  response.headers.forEach((v, k) => res.setHeader(k, v));
  const body = Buffer.from(await response.arrayBuffer());
  res.setHeader('content-length', body.length);
  res.end(body);
}

/**
 * The headless tracking server (`kelly server`, `nx run dashboard:serve-api`): the `/api/tracking/` API on
 * node:http plus the heartbeat sweep timer. Refuses a non-loopback host without tokens.
 */
export async function serveTrackingApi(options: ServeTrackingOptions): Promise<TrackingServer> {
  const { tracker } = options;
  const host = options.host ?? '127.0.0.1';
  assertListenAllowed(tracker, host);
  const api = createTrackingApi(tracker, {
    requireToken: !isLoopbackHost(host),
    routes: options.routes,
  });
  const server = createServer((req, res) => {
    const base = `http://${req.headers.host ?? host}`;
    api
      .handle(toRequest(req, base))
      .then((response) => send(res, response))
      .catch((e: unknown) => {
        tracker.settings.onBackgroundError(e);
        if (!res.headersSent) res.statusCode = 500;
        res.end();
      });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const sweep = setInterval(
    () => {
      try {
        tracker.sweepStale();
      } catch (e) {
        tracker.settings.onBackgroundError(e);
      }
    },
    options.sweepMs ?? (tracker.settings.staleAfterS * 1000) / 4,
  );
  sweep.unref();
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    api,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(sweep);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
