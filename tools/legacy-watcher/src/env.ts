import { z } from 'zod';

/** The only place the legacy watcher reads process.env. */
const EnvSchema = z.object({
  KELLY_HOME: z.string().min(1).optional(),
  /** The PostgreSQL store (`postgres://user:password@host:port/database`) instead of <home>/tracking.db. */
  KELLY_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'must be postgres://user:password@host:port/database')
    .optional(),
  KELLY_STALE_AFTER_S: z.coerce.number().positive().optional(),
  /** A Kelly server to send the logs to instead of the local store (`--tracking-uri` wins). */
  KELLY_TRACKING_URI: z
    .string()
    .regex(/^https?:\/\/[^/\s]+\/?$/, 'must be http://host:port')
    .optional(),
  /** Bearer token (write scope) for that server. */
  KELLY_TRACKING_TOKEN: z.string().min(1).optional(),
});

export type WatcherEnv = z.infer<typeof EnvSchema>;

export function readEnv(env: NodeJS.ProcessEnv = process.env): WatcherEnv {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`environment variable ${String(issue?.path[0])}: ${issue?.message}`);
  }
  return parsed.data;
}
