/** Legacy Kelly (Python trainer) file formats: tolerant JSON reader, zod schemas, classifier, run mapping. */
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
  RegistrySchema,
  RegistryModelSchema,
  RegistryTrainingSchema,
  RegistryExportsSchema,
  RegistryStrayEntrySchema,
  registryStrayEntries,
  CheckpointResultsSchema,
  TrainingCurvesSchema,
  WorkerResultsSchema,
  ValidationResultsSchema,
  type Registry,
  type RegistryModel,
  type CheckpointResults,
  type TrainingCurves,
  type WorkerResults,
  type ValidationResults,
} from './kelly-formats';
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
export {
  ingestLegacyFile,
  type LegacyFileInput,
  type IngestDecision,
  type IngestOptions,
} from './ingest-file';
export { ingestDir, ingestFile, type IngestDirResult } from './ingest-dir';
export { markMissing } from './mark-missing';
export { listLegacyFiles, isIgnoredLegacyPath, relPathOf } from './legacy-files';
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
export { watchLegacyDir, type WatchLegacyDirOptions, type LegacyDirWatcher } from './watch-dir';
export { registryModelHistory } from './registry-history';
