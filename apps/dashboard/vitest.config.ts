import { configDefaults, defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'dashboard',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // PostgreSQL-only files run in dashboard@pg (libs/test-support/src/postgres-project.ts).
    exclude: [...configDefaults.exclude, '**/*.pg.test.ts'],
    testTimeout: 60_000,
  },
});
