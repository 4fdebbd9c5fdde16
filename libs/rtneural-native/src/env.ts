import { z } from 'zod';

/** The native check's environment variables as zod fields (apps spread them into their own env schema). */
export const NATIVE_ENV = {
  /** The RTNeural checkout to build against (the plugin's own, usually a git submodule). */
  KELLY_RTNEURAL_DIR: z.string().min(1).optional(),
  /** C++17 compiler to build the runner with. Default `g++`. */
  CXX: z.string().min(1).optional(),
  /** Where built runners are kept, one folder per build hash. Default `~/.cache/kelly/rtneural-native`. */
  KELLY_NATIVE_CACHE: z.string().min(1).optional(),
};

/** The only place this lib reads process.env. */
const EnvSchema = z.object(NATIVE_ENV);

export type NativeEnv = z.infer<typeof EnvSchema>;

/** @throws Error naming the variable when one is malformed. */
export function readNativeEnv(env: Record<string, string | undefined> = process.env): NativeEnv {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`environment variable ${String(issue?.path[0])}: ${issue?.message}`);
  }
  return parsed.data;
}
