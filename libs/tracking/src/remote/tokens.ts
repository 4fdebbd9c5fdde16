import type { SqlClient } from '../db/sql-client';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { TokenScope } from '../db/schema';

/** A token as `kelly token list` shows it (never the secret). */
export interface TokenInfo {
  id: string;
  name: string | null;
  scope: TokenScope;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

/** The outcome of checking a bearer token: ok with its id and scope, or why it was refused. */
export type TokenCheck =
  | { ok: true; id: string; scope: TokenScope }
  | { ok: false; reason: 'missing' | 'malformed' | 'unknown' | 'revoked' | 'scope' };

const TOKEN_RE = /^kelly_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;
const sha256 = (s: string) => createHash('sha256').update(s).digest();

/**
 * Creates a token and stores only the sha256 of its secret.
 * @returns the whole token (`kelly_<id>_<secret>`): shown once, not recoverable.
 */
export function createToken(
  sqlite: SqlClient,
  options: { scope: TokenScope; name?: string },
  now = Date.now(),
): { token: string; info: TokenInfo } {
  const id = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  sqlite
    .prepare(`INSERT INTO api_tokens (id, name, scope, hash, created_at) VALUES (?, ?, ?, ?, ?)`)
    .run(id, options.name ?? null, options.scope, sha256(secret).toString('hex'), now);
  return {
    token: `kelly_${id}_${secret}`,
    info: {
      id,
      name: options.name ?? null,
      scope: options.scope,
      createdAt: now,
      lastUsedAt: null,
      revokedAt: null,
    },
  };
}

export function listTokens(sqlite: SqlClient): TokenInfo[] {
  return sqlite
    .prepare(
      `SELECT id, name, scope, created_at AS "createdAt", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"
       FROM api_tokens ORDER BY created_at, id`,
    )
    .all() as TokenInfo[];
}

/** Revokes a token by id. @returns false when no live token has that id. */
export function revokeToken(sqlite: SqlClient, id: string, now = Date.now()): boolean {
  return (
    sqlite.prepare(`UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`).run(now, id)
      .changes > 0
  );
}

/**
 * True once any token was created, revoked ones included: from then on the server requires a token on every
 * request (revoking the last token does not reopen it).
 */
export function tokensConfigured(sqlite: SqlClient): boolean {
  return sqlite.prepare(`SELECT 1 FROM api_tokens LIMIT 1`).get() !== undefined;
}

/** True when an unrevoked write token exists (what listening beyond loopback requires). */
export function writeTokenExists(sqlite: SqlClient): boolean {
  return (
    sqlite.prepare(`SELECT 1 FROM api_tokens WHERE revoked_at IS NULL AND scope = 'write' LIMIT 1`).get() !==
    undefined
  );
}

/** The token of an `Authorization: Bearer <token>` header value, or null. */
export function bearerToken(header: string | null | undefined): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m ? m[1]! : null;
}

/**
 * Checks a token (constant-time on the secret's hash) for a scope; `write` tokens may also read.
 * Updates `last_used_at` at most once a minute. This is the function the dashboard's proxy calls to let a
 * request with a valid token through to `/api/tracking/`.
 */
export function verifyToken(
  sqlite: SqlClient,
  token: string | null | undefined,
  scope: TokenScope,
  now = Date.now(),
): TokenCheck {
  if (!token) return { ok: false, reason: 'missing' };
  const m = TOKEN_RE.exec(token);
  if (!m) return { ok: false, reason: 'malformed' };
  const row = sqlite
    .prepare(
      `SELECT scope, hash, revoked_at AS "revokedAt", last_used_at AS "lastUsedAt" FROM api_tokens WHERE id = ?`,
    )
    .get(m[1]) as
    { scope: TokenScope; hash: string; revokedAt: number | null; lastUsedAt: number | null } | undefined;
  if (!row || !timingSafeEqual(Buffer.from(row.hash, 'hex'), sha256(m[2]!)))
    return { ok: false, reason: 'unknown' };
  if (row.revokedAt !== null) return { ok: false, reason: 'revoked' };
  if (scope === 'write' && row.scope !== 'write') return { ok: false, reason: 'scope' };
  if (row.lastUsedAt === null || now - row.lastUsedAt > 60_000)
    sqlite.prepare(`UPDATE api_tokens SET last_used_at = ? WHERE id = ?`).run(now, m[1]);
  return { ok: true, id: m[1]!, scope: row.scope };
}
