import { defineProject } from 'vitest/config';

export default defineProject({
  // Starting a PostgreSQL cluster (initdb + pg_ctl) takes seconds on a loaded machine.
  test: { name: 'test-support', include: ['src/**/*.test.ts'], testTimeout: 120_000 },
});
