/**
 * The `<project>@pg` vitest projects: a project's store suites run again with `KELLY_TEST_STORE=postgres` on the
 * test run's throwaway cluster. A store suite is a test file that opens its store through `testStoreLocation` or
 * `testDatabaseUrl` (store-location.ts); the other files do not depend on the store and run once.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { TestProjectInlineConfiguration } from 'vitest/config';

const HERE = import.meta.dirname;
const SKIP_DIRS = new Set(['node_modules', '.next', '.nx', 'dist']);
const STORE_SUITE = /\btest(StoreLocation|DatabaseUrl)\(/;
/** Files that only make sense on PostgreSQL; the projects' own configs exclude them (see {@link POSTGRES_ONLY}). */
const PG_ONLY = /\.pg\.test\.tsx?$/;
/** Glob of the PostgreSQL-only test files, for a project config's `exclude`. */
export const POSTGRES_ONLY = '**/*.pg.test.ts';

/** The relative modules a file imports (`./x`, `../test/support`), as .ts paths that exist. */
function relativeImports(file: string, text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/from\s+'(\.{1,2}\/[^']+)'/g)) {
    const base = resolve(dirname(file), m[1]!);
    const found = [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find(
      (p) => existsSync(p) && statSync(p).isFile(),
    );
    if (found) out.push(found);
  }
  return out;
}

/** The file opens its store through store-location.ts, itself or through a helper module it imports. */
function opensTestStore(file: string): boolean {
  const text = readFileSync(file, 'utf8');
  return (
    STORE_SUITE.test(text) ||
    relativeImports(file, text).some((m) => STORE_SUITE.test(readFileSync(m, 'utf8')))
  );
}

/**
 * Test files under `root` that open their store through store-location.ts (directly or through a helper module
 * they import, e.g. `test/support.ts`), or are PostgreSQL-only (`*.pg.test.ts`), relative to `root`, sorted.
 */
export function storeSuites(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) walk(path);
      } else if (PG_ONLY.test(entry.name) || (/\.test\.tsx?$/.test(entry.name) && opensTestStore(path))) {
        out.push(relative(root, path));
      }
    }
  };
  walk(root);
  return out.sort();
}

/**
 * `<name>@pg` from a project's own config (`base`, its `defineProject` result) and folder: same options and
 * options, only the store suites, `KELLY_TEST_STORE=postgres`, 5× the test timeout, the cluster's globalSetup and
 * the skip setupFile.
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
      // Every statement is a round trip to the server (and each store a fresh database): import-heavy suites run
      // tens of times slower than on SQLite, so the same tests get 5× the time.
      testTimeout: (base.test?.testTimeout ?? 5_000) * 5,
      globalSetup: [join(HERE, 'postgres-global-setup.ts')],
      setupFiles: [...[base.test?.setupFiles ?? []].flat(), join(HERE, 'postgres-skip.setup.ts')],
    },
  };
}
