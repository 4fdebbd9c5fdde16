import { z } from 'zod';

/** The only place test-support reads process.env. */
const EnvSchema = z.object({
  /** `1` (CI, set by .ci/run): a missing fixture or tool fails the test run instead of skipping. */
  KELLY_REQUIRE_FIXTURES: z.enum(['0', '1']).optional(),
  /** Where the shared folder is, instead of `../shared` beside the repo root (to try a run without it). */
  KELLY_SHARED_DIR: z.string().min(1).optional(),
  /** `postgres` in the `<project>@pg` vitest projects: store suites run on a throwaway PostgreSQL cluster. */
  KELLY_TEST_STORE: z.enum(['sqlite', 'postgres']).optional(),
});

/** Environment variables by name (process.env, or a plain object in tests). */
export type Env = Record<string, string | undefined>;

export interface TestEnv {
  requireFixtures: boolean;
  sharedDir?: string;
  /** Which store the store suites open (default `sqlite`). */
  store: 'sqlite' | 'postgres';
}

export function readTestEnv(env: Env = process.env): TestEnv {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0]);
    const allowed = name === 'KELLY_TEST_STORE' ? 'sqlite or postgres' : '0 or 1';
    throw new Error(`environment variable ${name}: ${issue?.message} (use ${allowed})`);
  }
  const { KELLY_REQUIRE_FIXTURES, KELLY_SHARED_DIR, KELLY_TEST_STORE } = parsed.data;
  return {
    requireFixtures: KELLY_REQUIRE_FIXTURES === '1',
    ...(KELLY_SHARED_DIR && { sharedDir: KELLY_SHARED_DIR }),
    store: KELLY_TEST_STORE ?? 'sqlite',
  };
}
