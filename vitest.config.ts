import { defineConfig } from 'vitest/config';
import dashboard from './apps/dashboard/vitest.config.js';
import { postgresProject } from './libs/test-support/src/postgres-project.js';
import legacy from './libs/legacy/vitest.config.js';
import registry from './libs/registry/vitest.config.js';
import tracking from './libs/tracking/vitest.config.js';
import trainer from './apps/trainer/vitest.config.js';
import cli from './tools/cli/vitest.config.js';

// One vitest run over every project; `npm test` (tools/scripts/test-all.ts) reads its JSON report.
// The `<project>@pg` projects run that project's store suites (and its *.pg.test.ts files) again on a throwaway PostgreSQL cluster
// (libs/test-support/src/postgres-project.ts).
export default defineConfig({
  test: {
    projects: [
      'libs/features',
      'libs/models',
      'libs/tracking',
      'libs/legacy',
      'libs/registry',
      'libs/rtneural-native',
      'libs/test-support',
      'apps/trainer',
      'apps/dashboard',
      'tools/cli',
      'tools/legacy-watcher',
      'tools/scripts',
      postgresProject(tracking, 'libs/tracking'),
      postgresProject(legacy, 'libs/legacy'),
      postgresProject(registry, 'libs/registry'),
      postgresProject(dashboard, 'apps/dashboard'),
      postgresProject(trainer, 'apps/trainer'),
      postgresProject(cli, 'tools/cli'),
    ],
  },
});
