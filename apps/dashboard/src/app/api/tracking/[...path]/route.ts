import { currentPolicy } from '../../../../security/current-policy';
import { checkRequest } from '../../../../security/request-policy';
import { trackingTokenRequired, verifyTrackingToken } from '../../../../security/tracking-auth';
import { getTrackingApi } from '../../../../server/tracking-api';

export const dynamic = 'force-dynamic';

/**
 * `/api/tracking/…`: the tracking server's HTTP API beside tRPC (see @kelly/tracking createTrackingApi).
 * The proxy skips this prefix (it would buffer and cut streamed uploads), so the same request policy — Host
 * allow-list, bearer token or tokenless loopback — is applied here, from the headers, before the body is read.
 */
async function handle(req: Request): Promise<Response> {
  const refusal = await checkRequest(
    { method: req.method, path: new URL(req.url).pathname, headers: req.headers },
    currentPolicy().rules,
    verifyTrackingToken,
    trackingTokenRequired,
  );
  if (refusal)
    return new Response(`${refusal.reason}\n`, {
      status: refusal.status,
      headers: {
        'content-type': 'text/plain; charset=utf-8',
        'x-content-type-options': 'nosniff',
        ...(refusal.status === 401 ? { 'www-authenticate': 'Bearer' } : {}),
      },
    });
  return getTrackingApi().handle(req);
}

export { handle as GET, handle as POST, handle as PUT, handle as PATCH };
