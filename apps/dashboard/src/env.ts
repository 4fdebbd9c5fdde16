/**
 * The dashboard's only reader of process.env (validated with zod).
 * KELLY_HOME is resolved like the CLI does (kellyPaths): relative to the working directory, default
 * `./.kelly`. `nx run dashboard:start|dev` run with cwd = the repo root, so a relative KELLY_HOME means
 * `<repo>/<KELLY_HOME>`; the start script resolves it to an absolute path before starting Next.
 */
import { parseEnv, STORE_ENV } from '@kelly/tracking';
import { z } from 'zod';
import { HOSTNAME_PATTERN } from './security/hosts';

const envSchema = z.object({
  ...STORE_ENV,
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
  /** `1`: the tracking API requires a token even before one was created (serve.ts sets it beyond loopback). */
  KELLY_TRACKING_REQUIRE_TOKEN: z.enum(['0', '1']).optional(),
  // @kelly/rtneural-native's NATIVE_ENV, repeated: that lib is loaded at run time (server/native-check.ts), not bundled
  /** RTNeural checkout for the promotion gate's native check (see @kelly/rtneural-native); needs g++. */
  KELLY_RTNEURAL_DIR: z.string().min(1).optional(),
  /** C++17 compiler for the native runner (default g++). */
  CXX: z.string().min(1).optional(),
  /** Build cache of the native runner. */
  KELLY_NATIVE_CACHE: z.string().min(1).optional(),
});

export type DashboardEnv = z.infer<typeof envSchema>;

/** Parses the environment; a bad value throws an error naming the variable. */
export const readEnv = (source: Record<string, string | undefined> = process.env): DashboardEnv =>
  parseEnv(envSchema, source);
