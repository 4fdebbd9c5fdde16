/**
 * Where a store suite opens its store: a SQLite file normally; a fresh database on the test run's PostgreSQL
 * cluster in the `<project>@pg` projects (`KELLY_TEST_STORE=postgres`, cluster from postgres-global-setup.ts).
 * The same test file thus runs on both stores.
 */
import { join } from 'node:path';
import { inject } from 'vitest';
import { readTestEnv, type Env } from './env';
import { createDatabaseAt, uniqueDatabaseName } from './postgres';
import type {} from './postgres-global-setup';

/** Which store this test run's store suites use. */
export function testStoreKind(env?: Env): 'sqlite' | 'postgres' {
  return readTestEnv(env).store;
}

/**
 * A fresh, empty database on the test run's cluster (`postgres://…`), named after `hint`. Only in the @pg projects;
 * when their cluster is missing it throws (their tests are skipped before they get here, see postgres-skip.setup.ts).
 */
export function testDatabaseUrl(hint?: string): string {
  const pg = inject('kellyPostgres');
  if (pg === undefined)
    throw new Error('testDatabaseUrl() needs a <project>@pg vitest project (its globalSetup)');
  if (!pg.present) throw new Error(pg.needs);
  return createDatabaseAt(pg.bindir, pg.port, uniqueDatabaseName(hint));
}

/** Databases handed out by testStoreLocation, by SQLite path: asking again for one store gives the same database. */
const databases = new Map<string, string>();

/**
 * The store location for `openStore`/`openTracker({ path })`: `join(dir, name)` (a SQLite file) normally; in the
 * @pg projects a fresh database URL on the cluster, the same one for the same `dir` and `name` within a test file
 * (to reopen a store; hand it to child processes explicitly). `testStoreLocation(':memory:')`: SQLite's in-memory
 * store, or a fresh database. A PostgreSQL project whose cluster is missing gets the SQLite location: its tests are
 * skipped anyway.
 */
export function testStoreLocation(dir: string, name?: string): string {
  const sqlite = name === undefined ? dir : join(dir, name);
  if (testStoreKind() === 'sqlite') return sqlite;
  const pg = inject('kellyPostgres');
  if (pg === undefined)
    throw new Error('KELLY_TEST_STORE=postgres needs a <project>@pg vitest project (its globalSetup)');
  if (!pg.present) return sqlite;
  const hint = name === undefined ? 'memory' : name.replace(/\.[a-z]+$/, '');
  if (sqlite === ':memory:') return createDatabaseAt(pg.bindir, pg.port, uniqueDatabaseName(hint));
  let url = databases.get(sqlite);
  if (!url) databases.set(sqlite, (url = createDatabaseAt(pg.bindir, pg.port, uniqueDatabaseName(hint))));
  return url;
}
