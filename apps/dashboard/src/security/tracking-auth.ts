import { readEnv } from '../env';
import { getTracker } from '../server/tracker';
import { tokensConfigured, verifyToken } from '@kelly/tracking';
import type { TokenCheck, TokenRequired } from './request-policy';

/**
 * The proxy's check of a bearer token of the remote tracking API (`/api/tracking/…`): a known, unrevoked token
 * (hashed in the store, `kelly token create`). Any scope passes here; the route then requires `write` for writes.
 */
export const verifyTrackingToken: TokenCheck = (token) => verifyToken(getTracker().sql, token, 'read').ok;

/**
 * Tokens are required once any was created, and always when the dashboard listens beyond loopback
 * (KELLY_TRACKING_REQUIRE_TOKEN, set by serve.ts); otherwise loopback clients log without one (zero setup).
 */
export const trackingTokenRequired: TokenRequired = () =>
  readEnv().KELLY_TRACKING_REQUIRE_TOKEN === '1' || tokensConfigured(getTracker().sql);
