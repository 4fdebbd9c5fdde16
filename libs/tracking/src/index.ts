export { kellyPaths, type KellyPaths } from './paths';
export * as schema from './db/schema';
export {
  openStore,
  defaultMigrationsFolder,
  type Store,
  type StoreOptions,
  type TrackingDb,
} from './db/store';
export { encodeJson, decodeJson } from './db/json-column';
export * from './legacy/index';
