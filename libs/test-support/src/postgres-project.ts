/**
 * The `<project>@pg` vitest projects: a project's store suites run again with `KELLY_TEST_STORE=postgres` on the
 * test run's throwaway cluster. A store suite is a test file that opens its store through `testStoreLocation` or
 * `testDatabaseUrl` (store-location.ts); the other files do not depend on the store and run once.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { TestProjectInlineConfiguration } from 'vitest/config';

const HERE = import.meta.dirname;
const SKIP_DIRS = new Set(['node_modules', '.next', '.nx', 'dist']);
const STORE_SUITE = /\btest(StoreLocation|DatabaseUrl)\(/;
/** Files that only make sense on PostgreSQL; the projects' own configs exclude them (see {@link POSTGRES_ONLY}). */
const PG_ONLY = /\.pg\.test\.tsx?$/;
/** Glob of the PostgreSQL-only test files, for a project config's `exclude`. */
export const POSTGRES_ONLY = '**/*.pg.test.ts';

/**
 * Test files under `root` that open their store through store-location.ts, or are PostgreSQL-only
 * (`*.pg.test.ts`), relative to `root`, sorted.
 */
export function storeSuites(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) walk(path);
      } else if (
        PG_ONLY.test(entry.name) ||
        (/\.test\.tsx?$/.test(entry.name) && STORE_SUITE.test(readFileSync(path, 'utf8')))
      ) {
        out.push(relative(root, path));
      }
    }
  };
  walk(root);
  return out.sort();
}

/**
 * `<name>@pg` from a project's own config (`base`, its `defineProject` result) and folder: same options and
 * timeouts, only the store suites, `KELLY_TEST_STORE=postgres`, the cluster's globalSetup and the skip setupFile.
 */
export function postgresProject(
  base: TestProjectInlineConfiguration,
  dir: string,
): TestProjectInlineConfiguration & { test: { name: string } } {
  const root = resolve(dir);
  const baseName = base.test?.name;
  const name = `${typeof baseName === 'object' ? baseName.label : (baseName ?? dir)}@pg`;
  return {
    ...base,
    test: {
      ...base.test,
      name,
      root,
      include: storeSuites(root),
      exclude: [base.test?.exclude ?? []].flat().filter((glob) => glob !== POSTGRES_ONLY),
      env: { ...base.test?.env, KELLY_TEST_STORE: 'postgres' },
      globalSetup: [join(HERE, 'postgres-global-setup.ts')],
      setupFiles: [...[base.test?.setupFiles ?? []].flat(), join(HERE, 'postgres-skip.setup.ts')],
    },
  };
}
