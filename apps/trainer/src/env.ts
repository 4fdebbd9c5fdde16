import { NATIVE_ENV } from '@kelly/rtneural-native';
import { parseEnv, STORE_ENV } from '@kelly/tracking';
import { z } from 'zod';

/**
 * The only place the trainer reads process.env: the store's variables, the native check's (KELLY_RTNEURAL_DIR unset:
 * the check at export is skipped) and the trainer's own.
 */
const EnvSchema = z.object({
  ...STORE_ENV,
  ...NATIVE_ENV,
  /** Media bytes one run may store (audio and images), MiB; default 64. */
  KELLY_MEDIA_MAX_MB: z.coerce.number().min(0).optional(),
  /** Force the one-line-per-epoch output even on a TTY (CI logs). */
  KELLY_NO_PROGRESS_BAR: z.enum(['0', '1']).optional(),
  /** emotion-node: emotion-thesaurus folder (the user's Kelly checkout); `--thesaurus` wins over it. */
  KELLY_THESAURUS_DIR: z.string().min(1).optional(),
});

export type TrainerEnv = z.infer<typeof EnvSchema>;

/** @throws Error naming the variable when one is malformed. */
export const readEnv = (env: Record<string, string | undefined> = process.env): TrainerEnv =>
  parseEnv(EnvSchema, env);
