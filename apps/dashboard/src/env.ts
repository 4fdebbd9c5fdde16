/**
 * The dashboard's only reader of process.env (validated with zod).
 * KELLY_HOME is resolved like the CLI does (kellyPaths): relative to the working directory, default
 * `./.kelly`. `nx run dashboard:start|dev` run with cwd = the repo root, so a relative KELLY_HOME means
 * `<repo>/<KELLY_HOME>`; the start script resolves it to an absolute path before starting Next.
 */
import { z } from 'zod';
import { HOSTNAME_PATTERN } from './security/hosts';

const envSchema = z.object({
  KELLY_HOME: z.string().min(1).optional(),
  /** The PostgreSQL store (`postgres://user:password@host:port/database`) instead of <home>/tracking.db. */
  KELLY_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'must be postgres://user:password@host:port/database')
    .optional(),
  KELLY_DASHBOARD_HOST: z.string().min(1).default('127.0.0.1'),
  KELLY_DASHBOARD_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /**
   * Extra hostnames accepted in `Host` besides the bound address and the loopback names, comma-separated
   * (`--allowed-host`, repeatable, sets it for the server process).
   */
  KELLY_DASHBOARD_ALLOWED_HOSTS: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(HOSTNAME_PATTERN, 'not a hostname (no scheme, port or path)'))),
  NODE_ENV: z.string().optional(),
  /** Seconds without heartbeat after which a RUNNING run is shown as CRASHED (tracking default 60). */
  KELLY_STALE_AFTER_S: z.coerce.number().positive().optional(),
  /** `1`: the tracking API requires a token even before one was created (serve.ts sets it beyond loopback). */
  KELLY_TRACKING_REQUIRE_TOKEN: z.enum(['0', '1']).optional(),
  /** RTNeural checkout for the promotion gate's native check (see @kelly/rtneural-native); needs g++. */
  KELLY_RTNEURAL_DIR: z.string().min(1).optional(),
  /** C++17 compiler for the native runner (default g++). */
  CXX: z.string().min(1).optional(),
  /** Build cache of the native runner. */
  KELLY_NATIVE_CACHE: z.string().min(1).optional(),
});

export type DashboardEnv = z.infer<typeof envSchema>;

/** Parses the environment; a bad value throws an error naming the variable. */
export function readEnv(source: Record<string, string | undefined> = process.env): DashboardEnv {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`dashboard env: ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}
