/**
 * @kelly/legacy: the old Kelly (Python trainer) files — tolerant JSON reader, zod schemas, classifier, run mapping —
 * and the pipeline that imports them into the tracking store and watches a folder for changes. See README.md.
 */
export {
  parsePythonJson,
  type PythonJsonResult,
  type PythonJsonOk,
  type PythonJsonError,
  type PythonJsonValue,
} from './python-json';
export {
  pyNumber,
  TrainConfigSchema,
  TrainRunSchema,
  type TrainConfig,
  type TrainRun,
} from './train-run-schema';
export {
  CheckpointResultsSchema,
  TrainingCurvesSchema,
  WorkerResultsSchema,
  ValidationResultsSchema,
  type CheckpointResults,
  type TrainingCurves,
  type WorkerResults,
  type ValidationResults,
} from './kelly-formats';
export {
  RegistrySchema,
  RegistryModelSchema,
  RegistryTrainingSchema,
  RegistryExportsSchema,
  RegistryStrayEntrySchema,
  registryStrayEntries,
  type Registry,
  type RegistryModel,
  RegistryFileSchema,
  ModelEntrySchema,
  TrainingMetadataSchema,
  checkRegistryFile,
  parseRegistryText,
  RegistryFileError,
  REGISTRY_VERSION,
  REGISTRY_TASKS,
  REGISTRY_STATUSES,
  type RegistryFile,
  type RegistryTask,
  type ModelEntry,
  type TrainingMetadata,
} from './registry-json';
export {
  classifyLegacyDocument,
  type Classification,
  type LegacyDocument,
  type LegacyFormat,
} from './classify';
export {
  trainRunToRecord,
  legacyStatus,
  experimentFromRunId,
  naiveLocalToMs,
  type LegacyRunRecord,
} from './train-run-mapping';
export { readLegacyFile, type LegacyFileReading } from './read-legacy-file';
export { normalizeTrainRun, type NormalizedTrainRun, type EpochHistory } from './normalize-train-run';
export { canonicalJson, canonicalRunHash, meaningHash } from './canonical-json';
export {
  ingestLegacyFile,
  type LegacyFileInput,
  type IngestDecision,
  type IngestOptions,
} from './ingest-file';
export { ingestDir, ingestFile, type IngestDirOptions, type IngestDirResult } from './ingest-dir';
export { markMissing } from './mark-missing';
export {
  listLegacyFiles,
  scanLegacyDir,
  isIgnoredLegacyPath,
  relPathOf,
  SYMLINK_SKIP_REASON,
  type SkippedPath,
} from './legacy-files';
export { MAX_LEGACY_FILE_BYTES } from './load-legacy-file';
export {
  listIngestFiles,
  getIngestFile,
  listWatchers,
  startWatcherRecord,
  heartbeatWatcher,
  stopWatcherRecord,
  ListIngestFilesSchema,
  type ListIngestFilesInput,
  type IngestRecord,
  type WatcherStatus,
} from './ingest-queries';
export { toImportInput } from './import-input';
export {
  watchLegacyDir,
  watchLegacyDirInto,
  type WatchLegacyDirOptions,
  type LegacyDirWatcher,
} from './watch-dir';
export { localIngestTarget, type IngestTarget } from './ingest-target';
export { remoteIngestTarget, ingestDirRemote } from './remote-ingest';
export { RemoteIngestError, type RemoteIngestOptions } from './remote-legacy-client';
export { legacyFilesRoute } from './legacy-files-route';
export {
  HostSchema as HostLabelSchema,
  sourceDirKey,
  sourcePathKey,
  sourceHostOf,
  type LegacySource,
  type RemoteDecision,
} from './remote-wire';
export type { DirFileReport, IngestTotals } from './dir-report';
export { syntheticTrainRun, syntheticRunId, pythonJson, type SyntheticLogOptions } from './synthetic-log';
