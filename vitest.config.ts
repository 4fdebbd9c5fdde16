import { defineConfig } from 'vitest/config';

// One vitest run over every project; `npm test` (tools/scripts/test-all.ts) reads its JSON report.
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
    ],
  },
});
