import { z } from 'zod';

/** The only place the CLI reads process.env. */
const EnvSchema = z.object({
  KELLY_HOME: z.string().min(1).optional(),
  /** The PostgreSQL store (`postgres://user:password@host:port/database`) instead of <home>/tracking.db. */
  KELLY_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'must be postgres://user:password@host:port/database')
    .optional(),
  KELLY_STALE_AFTER_S: z.coerce.number().positive().optional(),
  /** A Kelly server to read from instead of the local store (`--tracking-uri` wins). */
  KELLY_TRACKING_URI: z
    .string()
    .regex(/^https?:\/\/[^/\s]+\/?$/, 'must be http://host:port')
    .optional(),
  /** Bearer token for that server. */
  KELLY_TRACKING_TOKEN: z.string().min(1).optional(),
  /** RTNeural checkout the promotion gate's native check builds against (`--rtneural-dir` wins). */
  KELLY_RTNEURAL_DIR: z.string().min(1).optional(),
  /** C++17 compiler for the native runner (default g++). */
  CXX: z.string().min(1).optional(),
  /** Build cache of the native runner (default ~/.cache/kelly/rtneural-native). */
  KELLY_NATIVE_CACHE: z.string().min(1).optional(),
});

export type CliEnv = z.infer<typeof EnvSchema>;

export function readEnv(env: NodeJS.ProcessEnv = process.env): CliEnv {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`environment variable ${String(issue?.path[0])}: ${issue?.message}`);
  }
  return parsed.data;
}
