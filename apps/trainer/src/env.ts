import { z } from 'zod';

/** The only place the trainer reads process.env. */
const EnvSchema = z.object({
  /** Kelly home (store + artifacts); `--home` wins over it. */
  KELLY_HOME: z.string().min(1).optional(),
  /** The PostgreSQL store (`postgres://user:password@host:port/database`) instead of <home>/tracking.db. */
  KELLY_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'must be postgres://user:password@host:port/database')
    .optional(),
  /** Stale window after which a silent RUNNING run is marked CRASHED. */
  KELLY_STALE_AFTER_S: z.coerce.number().positive().optional(),
  /** Media bytes one run may store (audio and images), MiB; default 64. */
  KELLY_MEDIA_MAX_MB: z.coerce.number().min(0).optional(),
  /** Force the one-line-per-epoch output even on a TTY (CI logs). */
  /** A Kelly server to log to instead of the local store (`--tracking-uri` wins). */
  KELLY_TRACKING_URI: z
    .string()
    .regex(/^https?:\/\/[^/\s]+\/?$/, 'must be http://host:port')
    .optional(),
  /** Bearer token for that server (needed when it has tokens). */
  KELLY_TRACKING_TOKEN: z.string().min(1).optional(),
  KELLY_NO_PROGRESS_BAR: z.enum(['0', '1']).optional(),
  /** RTNeural checkout for the native check at export (see @kelly/rtneural-native); unset: the check is skipped. */
  KELLY_RTNEURAL_DIR: z.string().min(1).optional(),
  /** C++17 compiler for the native runner (default g++). */
  CXX: z.string().min(1).optional(),
  /** Build cache of the native runner. */
  KELLY_NATIVE_CACHE: z.string().min(1).optional(),
  /** emotion-node: emotion-thesaurus folder (the user's Kelly checkout); `--thesaurus` wins over it. */
  KELLY_THESAURUS_DIR: z.string().min(1).optional(),
});

export type TrainerEnv = z.infer<typeof EnvSchema>;

/** @throws Error naming the variable when one is malformed. */
export function readEnv(env: Record<string, string | undefined> = process.env): TrainerEnv {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`environment variable ${String(issue?.path[0])}: ${issue?.message}`);
  }
  return parsed.data;
}
