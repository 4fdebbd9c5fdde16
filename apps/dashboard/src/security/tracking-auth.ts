import type { TokenCheck } from './request-policy';

/**
 * The hook through which the proxy checks a bearer token of the remote tracking API (`/api/tracking/…`,
 * issue 17). Until the tracking server's token store lands, no token is valid: every `/api/tracking/` request
 * is answered 401 before any route runs. Issue 17 replaces this function with its verification (hashed,
 * revocable tokens); the proxy needs nothing else.
 */
export const verifyTrackingToken: TokenCheck = () => false;
