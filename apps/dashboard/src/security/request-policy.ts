import { hostnameOfHeader } from './hosts';

/**
 * What the dashboard accepts, decided from the request line and headers alone (before any page, procedure or
 * body parser runs). Pure: the proxy (src/proxy.ts) applies it, the tests call it directly and over HTTP.
 *
 * 1. `Host` must be an allowed hostname (DNS rebinding) → else 403.
 * 2. `/api/tracking/…` (the remote tracking API) needs `Authorization: Bearer <token>` that verifies → else 401;
 *    a verified token exempts the request from 3-5 (never a missing header); its routes bound their own bodies.
 * 3. `/api/…` is refused to other sites: a `Sec-Fetch-Site` other than `same-origin` or `none` → 403
 *    (cross-site `<img>`, `<script>`, `fetch` and forms; `same-site` too: another port on 127.0.0.1 is same-site).
 * 4. A write (any method but GET, HEAD, OPTIONS) needs `Origin` equal to the dashboard's own origin, or, without
 *    `Origin`, `Sec-Fetch-Site: same-origin` → else 403.
 * 5. A write's body must declare its length (`Content-Length`; else 411) and stay within `bodyLimit` (else 413).
 */
export interface RequestPolicy {
  /** Accepted hostnames (see allowedHostnames). */
  hosts: ReadonlySet<string>;
  /** Largest accepted request body, bytes. */
  bodyLimit: number;
}

/** The parts of a request the policy reads. */
export interface RequestHead {
  method: string;
  /** URL path, e.g. `/api/trpc/runs.list`. */
  path: string;
  headers: Headers;
}

export interface Refusal {
  status: 401 | 403 | 411 | 413;
  /** One line naming the header (or limit) at fault; sent as the response body. */
  reason: string;
}

/** Checks a bearer token of the remote tracking API (see tracking-auth.ts). */
export type TokenCheck = (token: string) => boolean | Promise<boolean>;

/** Default largest request body: 1 MiB (the biggest tRPC input, a promotion note, is a few KB). */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/** The remote tracking API's prefix (issue 17): token-authenticated, exempt from the same-origin rule. */
export const TRACKING_API_PREFIX = '/api/tracking/';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const isWrite = (method: string) => !SAFE_METHODS.has(method.toUpperCase());

/** `http://<host>` as the browser would write it in `Origin` (default port dropped), or null if unparseable. */
function originOf(value: string): string | null {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? `${url.protocol}//${url.host}` : null;
  } catch {
    return null;
  }
}

/** Returns why the request is refused, or null when it may proceed. */
export async function checkRequest(
  req: RequestHead,
  policy: RequestPolicy,
  verifyToken: TokenCheck,
): Promise<Refusal | null> {
  const host = req.headers.get('host');
  const hostname = hostnameOfHeader(host);
  if (!hostname || !policy.hosts.has(hostname))
    return {
      status: 403,
      reason: `Host not allowed: ${JSON.stringify(host ?? '')} (start the dashboard with --allowed-host <name> to accept it)`,
    };

  if (req.path.startsWith(TRACKING_API_PREFIX) || req.path === TRACKING_API_PREFIX.slice(0, -1)) {
    const auth = req.headers.get('authorization') ?? '';
    const token = /^Bearer\s+(\S+)\s*$/i.exec(auth)?.[1];
    if (!token) return { status: 401, reason: 'Authorization: Bearer <token> is required for /api/tracking' };
    if (!(await verifyToken(token))) return { status: 401, reason: 'Authorization: the token is not valid' };
    // uploads (artifacts, media) are streamed: the tracking routes bound their own bodies
    return null;
  }

  const site = req.headers.get('sec-fetch-site');
  if (req.path.startsWith('/api/') && site !== null && site !== 'same-origin' && site !== 'none')
    return { status: 403, reason: `Sec-Fetch-Site: ${site}: /api answers only the dashboard's own pages` };

  if (isWrite(req.method)) {
    const origin = req.headers.get('origin');
    const own = originOf(`http://${host}`);
    if (origin !== null) {
      if (originOf(origin) !== own)
        return { status: 403, reason: `Origin: ${origin} is not the dashboard's origin ${own}` };
    } else if (site !== 'same-origin') {
      return {
        status: 403,
        reason: 'Origin: a write needs the Origin header of the dashboard (or Sec-Fetch-Site: same-origin)',
      };
    }
    return bodyCheck(req, policy.bodyLimit);
  }
  return null;
}

/** A write's body: length declared and within `limit` bytes. */
function bodyCheck(req: RequestHead, limit: number): Refusal | null {
  if (!isWrite(req.method)) return null;
  const length = req.headers.get('content-length');
  if (length === null) {
    if (req.headers.get('transfer-encoding') === null) return null; // no body
    return { status: 411, reason: 'Content-Length: a request body must declare its length' };
  }
  const bytes = /^\d+$/.test(length.trim()) ? Number(length) : NaN;
  if (!Number.isFinite(bytes)) return { status: 411, reason: `Content-Length: not a length: ${length}` };
  if (bytes > limit)
    return { status: 413, reason: `Content-Length: ${bytes} bytes is over the ${limit}-byte request limit` };
  return null;
}
