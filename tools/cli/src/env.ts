import { NATIVE_ENV } from '@kelly/rtneural-native';
import { parseEnv, STORE_ENV } from '@kelly/tracking';
import { z } from 'zod';

/** The only place the CLI reads process.env: the store's and the native check's variables (`--…` flags win). */
const EnvSchema = z.object({ ...STORE_ENV, ...NATIVE_ENV });

export type CliEnv = z.infer<typeof EnvSchema>;

export const readEnv = (env: NodeJS.ProcessEnv = process.env): CliEnv => parseEnv(EnvSchema, env);
