import { parseEnv, STORE_ENV } from '@kelly/tracking';
import { z } from 'zod';

/** The only place the legacy watcher reads process.env: the store's variables (`--…` flags win). */
const EnvSchema = z.object(STORE_ENV);

export type WatcherEnv = z.infer<typeof EnvSchema>;

export const readEnv = (env: NodeJS.ProcessEnv = process.env): WatcherEnv => parseEnv(EnvSchema, env);
