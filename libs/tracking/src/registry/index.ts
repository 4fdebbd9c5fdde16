/** Model registry and promotion (issue 9). See libs/tracking/README.md, section "Model registry". */
export { MODEL_ALIASES, type ModelAlias } from '../db/schema';
export {
  GATE_NAMES,
  UNFORCEABLE_GATES,
  DEFAULT_GATE_POLICY,
  evaluateGates,
  type GateName,
  type GateVerdict,
  type GateResult,
  type GateReport,
  type GatePolicy,
  type GateFacts,
  type RtneuralValidation,
  type RtneuralValidator,
} from './gates';
export {
  RTNEURAL_ARTIFACT_KIND,
  PARITY_METRIC,
  FRAME_MS_METRICS,
  REALTIME_RATIO_METRICS,
  gatherGateFacts,
} from './gate-facts';
export {
  promote,
  previewGates,
  actor,
  PromotionRefusedError,
  type PromoteOptions,
  type PromoteResult,
} from './promote';
export { rollback, type RollbackOptions, type RollbackResult } from './rollback';
export { importLegacyRegistry, type LegacyRegistryImport } from './legacy-import';
export {
  listModels,
  getModel,
  modelHistory,
  versionGateReport,
  type ModelSummary,
  type ModelDetail,
  type VersionView,
  type HistoryEvent,
} from './queries';
export { RegistryNotFoundError } from './registry-store';
export {
  publishModel,
  renderRegistry,
  sha256Hex,
  versionFilePath,
  REGISTRY_FILE,
  LOCK_FILE,
  type PublishInput,
  type PublishResult,
} from './publish';
export {
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
  type ModelEntry,
  type TrainingMetadata,
} from './registry-file';
export { buildModelEntry, trainingBlock, modelIdFor, taskFor } from './model-entry';
export { summarizeRtneural, type RtneuralSummary } from './rtneural-summary';
