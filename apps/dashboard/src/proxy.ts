/**
 * Next 16's proxy (the former middleware): runs before every page, route and procedure. It applies the
 * request policy (security/request-policy.ts: Host allow-list, token of the tracking API, fetch-metadata
 * isolation of /api, same-origin writes, body limit) and gives every page a fresh CSP nonce.
 */
import { NextResponse, type NextRequest } from 'next/server';
import { readEnv } from './env';
import { contentSecurityPolicy, newNonce } from './security/csp';
import { allowedHostnames } from './security/hosts';
import { BODY_LIMIT_BYTES, checkRequest, type RequestPolicy } from './security/request-policy';
import { verifyTrackingToken } from './security/tracking-auth';

let policy: { rules: RequestPolicy; dev: boolean } | undefined;

/** The policy of this server process, read once from its environment. */
function currentPolicy(): { rules: RequestPolicy; dev: boolean } {
  if (!policy) {
    const env = readEnv();
    policy = {
      rules: {
        hosts: allowedHostnames(env.KELLY_DASHBOARD_HOST, env.KELLY_DASHBOARD_ALLOWED_HOSTS),
        bodyLimit: BODY_LIMIT_BYTES,
      },
      dev: env.NODE_ENV === 'development',
    };
  }
  return policy;
}

export async function proxy(request: NextRequest): Promise<NextResponse> {
  const { rules, dev } = currentPolicy();
  const path = request.nextUrl.pathname;
  if (!wellEncoded(path))
    return new NextResponse('path: malformed percent-encoding\n', {
      status: 400,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' },
    });
  const refusal = await checkRequest(
    { method: request.method, path, headers: request.headers },
    rules,
    verifyTrackingToken,
  );
  if (refusal) {
    const headers: Record<string, string> = {
      'content-type': 'text/plain; charset=utf-8',
      'x-content-type-options': 'nosniff',
    };
    if (refusal.status === 401) headers['www-authenticate'] = 'Bearer';
    // a small refused body is read to its end (Next's request stream otherwise errors when the browser hangs
    // up); a body over the limit is never read: the connection is closed instead
    if (refusal.status === 413 || refusal.status === 411) headers.connection = 'close';
    else await request.arrayBuffer().catch(() => undefined);
    return new NextResponse(`${refusal.reason}\n`, { status: refusal.status, headers });
  }
  if (path.startsWith('/api/') || path.startsWith('/_next/')) return NextResponse.next();
  // a page: Next reads the nonce from the request's CSP header and puts it on its scripts
  const csp = contentSecurityPolicy(newNonce(), dev);
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('content-security-policy', csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('content-security-policy', csp);
  response.headers.set('x-content-type-options', 'nosniff');
  response.headers.set('referrer-policy', 'same-origin');
  return response;
}

/** False when the path's percent-encoding does not decode (`%ZZ`, a cut `%E0%A4`): Next would fail on it with 500. */
function wellEncoded(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

export const config = {
  // everything but the build's static files (immutable JS/CSS, no data)
  matcher: ['/((?!_next/static/).*)'],
};
