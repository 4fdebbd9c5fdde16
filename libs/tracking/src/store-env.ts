import { z } from 'zod';

/**
 * The environment variables every Kelly process that opens a store or talks to a server reads, as zod fields: each
 * app's env schema spreads them (`z.object({ ...STORE_ENV, ...its own })`) so they mean the same everywhere.
 */
export const STORE_ENV = {
  /** Kelly home (store + artifacts); `--home` wins over it. */
  KELLY_HOME: z.string().min(1).optional(),
  /** The PostgreSQL store (`postgres://user:password@host:port/database`) instead of <home>/tracking.db. */
  KELLY_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'must be postgres://user:password@host:port/database')
    .optional(),
  /** Seconds without a heartbeat after which a RUNNING run is marked CRASHED (default 60). */
  KELLY_STALE_AFTER_S: z.coerce.number().positive().optional(),
  /** A Kelly server to use instead of the local store (`--tracking-uri` wins). */
  KELLY_TRACKING_URI: z
    .string()
    .regex(/^https?:\/\/[^/\s]+\/?$/, 'must be http://host:port')
    .optional(),
  /** Bearer token for that server (needed when it has tokens). */
  KELLY_TRACKING_TOKEN: z.string().min(1).optional(),
};

/** Parses `env` with `schema`. @throws Error naming the first malformed variable and what it must be. */
export function parseEnv<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined>,
): z.output<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`environment variable ${String(issue?.path[0] ?? '?')}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}
