import { defineConfig } from 'vitest/config';
import { postgresProject } from './libs/test-support/src/postgres-project.js';
import legacy from './libs/legacy/vitest.config.js';
import registry from './libs/registry/vitest.config.js';
import tracking from './libs/tracking/vitest.config.js';
import cli from './tools/cli/vitest.config.js';
import dashboard from './apps/dashboard/vitest.config.js';

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
      postgresProject(cli, 'tools/cli'),
      // the router tests (the browser and HTTP suites start the dashboard server on its home's SQLite file)
      postgresProject(dashboard, 'apps/dashboard', { within: 'src/server/' }),
    ],
  },
});
