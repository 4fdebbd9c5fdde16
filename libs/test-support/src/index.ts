export { spawnWatched, type WatchedChild, type WatchedChildOptions } from './child-process';
export { readTestEnv, type Env, type TestEnv } from './env';
export {
  CHROMIUM_PATH,
  chromium,
  fixture,
  MissingFixtureError,
  REPO_ROOT,
  shared,
  SHARED_DIR,
  type NeedOptions,
  type Needed,
} from './needs';
export {
  postgresTools,
  startPostgres,
  uniqueDatabaseName,
  type PostgresCluster,
  type PostgresTools,
} from './postgres';
export { testDatabaseUrl, testStoreKind, testStoreLocation } from './store-location';
