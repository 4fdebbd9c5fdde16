// @kelly/tracking: the run store, the tracking client, run-health rules and the queries the CLI and dashboard share.
export { kellyPaths, type KellyPaths } from './paths';
export * as schema from './db/schema';
export type {
  RunStatus,
  RunSource,
  Severity,
  JsonObject,
  IngestOutcome,
  ModelAlias,
  RegistryAction,
} from './db/schema';
export { RUN_STATUSES, RUN_SOURCES } from './db/schema';
export {
  openStore,
  defaultMigrationsFolder,
  type Store,
  type StoreOptions,
  type TrackingDb,
} from './db/store';
export { encodeJson, decodeJson } from './db/json-column';
export {
  openTracker,
  withRun,
  newRunId,
  Tracker,
  type TrackerOptions,
  type StartRunOptions,
} from './tracker';
export { Run, errorFields, type LogOptions, type ArtifactRecord } from './run';
export type { SignalName } from './process-hooks';
export { validateConfig, flattenConfig, RunConfigSchema, type FlatParam } from './config';
export { flagOf, decodeValue, jsonNumber, toJsonSafe } from './metric-value';
export { importRun, ImportRunSchema, type ImportRunInput } from './import-run';
export { hashPath } from './file-hash';
export { isBusy, withBusyRetry } from './sqlite-retry';
export {
  DEFAULT_HEALTH,
  RULES,
  severityOf,
  resolveHealth,
  type HealthOptions,
  type RuleName,
} from './health/health-options';
export { isLossKey, isTrainLossKey, isValLossKey } from './health/loss-keys';
export { evaluateRules, loadRunFacts, checkRunHealth } from './health/check-run';
export type { Finding, RunFacts, Series } from './health/run-facts';
export * from './legacy/index';
export * from './queries/dashboard';
export * from './registry/index';
