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
  TokenScope,
  MediaType,
} from './db/schema';
export { TOKEN_SCOPES } from './db/schema';
export { RUN_STATUSES, RUN_SOURCES, MEDIA_TYPES } from './db/schema';
export {
  openStore,
  defaultMigrationsFolder,
  defaultPgMigrationsFolder,
  type Store,
  type StoreOptions,
  type TrackingDb,
} from './db/store';
export { encodeJson, decodeJson } from './db/json-column';
export { openTracker, Tracker } from './tracker';
export { newRunId, StartRunSchema, type TrackerOptions, type StartRunOptions } from './tracker-options';
export { withRun } from './with-run';
export { readRun } from './read-run';
export { localQueries, remoteQueries, type RunQueries } from './run-queries';
export type { RunHandle, TrackingClient, StartRunOptions as RunStartOptions } from './client-api';
export { RemoteTracker, parseTrackingUri, type RemoteTrackerOptions } from './remote/remote-tracker';
export { RemoteRun } from './remote/remote-run';
export { TrackingServerError } from './remote/tracking-http';
export {
  createTrackingApi,
  checkTrackingAuth,
  HttpError as TrackingApiError,
  type TrackingApi,
  type TrackingApiOptions,
  type TrackingRoute,
  type TrackingRouteContext,
} from './remote/tracking-api';
export {
  serveTrackingApi,
  assertListenAllowed,
  isLoopbackHost,
  type ServeTrackingOptions,
  type TrackingServer,
} from './remote/serve-api';
export {
  createToken,
  listTokens,
  revokeToken,
  tokensConfigured,
  writeTokenExists,
  verifyToken,
  bearerToken,
  type TokenInfo,
  type TokenCheck,
} from './remote/tokens';
export { BATCH_LIMITS, MAX_ARTIFACT_BYTES, API_PREFIX, isSafeRelPath } from './remote/wire';
export { Run, errorFields, type LogOptions, type ArtifactRecord } from './run';
export {
  RunMediaWriter,
  DEFAULT_MEDIA_MAX_BYTES_PER_RUN,
  type MediaRecord,
  type LogMediaResult,
} from './media/run-media';
export {
  MediaInputSchema,
  MEDIA_KEY,
  type MediaInput,
  type MediaPlace,
  type AudioMedia,
  type ImageMedia,
  type EncodedMediaInput,
} from './media/media-input';
export { encodeWav, readWavHeader } from './media/wav-encode';
export { encodePng, readPngHeader, type RgbaImage } from './media/png-encode';
export { listMedia, ListMediaInputSchema, type ListMediaInput } from './queries/media-queries';
export type { SignalName } from './process-hooks';
export { validateConfig, flattenConfig, RunConfigSchema, type FlatParam } from './config';
export { flagOf, decodeValue, jsonNumber, toJsonSafe } from './metric-value';
export {
  importRun,
  importRunInTransaction,
  importParsedRunInTransaction,
  ImportRunSchema,
  type ImportRun,
  type ImportRunInput,
} from './import-run';
export { importRunsInTransaction } from './import-runs-batch';
export { insertBulk } from './row-insert';
export { hashPath, sha256Hex } from './file-hash';
export { RTNEURAL_CONTRACT, type RtneuralContract } from './rtneural-contract';
export { rtneuralFigures, NATIVE_RTNEURAL_METRICS, type RtneuralFigures } from './rtneural-figures';
export { isBusy, withBusyRetry } from './sqlite-retry';
export { PgError, PgSyncClient, maskUrl } from './db/pg-sync-client';
export { isPostgresUrl } from './db/pg-store';
export {
  bySql,
  jsonArrayValues,
  likeNoCase,
  sqliteClient,
  type SqlClient,
  type SqlDialect,
  type SqlRunResult,
  type SqlStatement,
  type SqlTransaction,
} from './db/sql-client';
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
export * from './queries/dashboard';
export { RunNotFoundError, type ReadOptions, type RunItem } from './queries/run-item';
export { crashMessage, isStale, staleView, type StaleView } from './stale-runs';
export {
  listRuns,
  anomaliesOf,
  ListRunsInputSchema,
  type ListRunsInput,
  type RunPage,
} from './queries/list-runs';
export {
  getRun,
  metricSummaries,
  type RunDetail,
  type MetricSummary,
  type AnomalyRecord,
  type ArtifactItem,
} from './queries/get-run';
export {
  metricSeries,
  metricKeys,
  downsampleSeries,
  MetricSeriesInputSchema,
  AXES,
  type Axis,
  type MetricSeries,
  type MetricSeriesInput,
  type SeriesPoint,
} from './queries/metric-series';
export {
  compareRuns,
  diffConfigs,
  CompareRunsInputSchema,
  type CompareRunsInput,
  type Comparison,
  type ConfigDiff,
  type LossRow,
} from './queries/compare-runs';
export {
  CONFIG_VOCABULARY,
  mapConfig,
  configuredEpochs,
  type ConfigTerm,
  type MappedConfig,
} from './vocabulary/config-vocabulary';
export {
  LOSS_VOCABULARY,
  LEGACY_HISTORY_SERIES,
  lossFigure,
  type LossTerm,
} from './vocabulary/loss-vocabulary';
export {
  listAnomalies,
  recheckAnomalies,
  ListAnomaliesInputSchema,
  type ListAnomaliesInput,
  type AnomalyGroup,
} from './queries/anomaly-queries';
export {
  assemble,
  bucketPoints,
  mergeBuckets,
  type MetricPoint,
  type BucketExtremes,
} from './queries/downsample';
export {
  copyStore,
  storeTables,
  StoreCopyConflictError,
  type CopyProgress,
  type CopyStoreOptions,
  type StoreCopyReport,
  type TableCopyReport,
} from './store-copy/index';
export { parseEnv, STORE_ENV } from './store-env';
