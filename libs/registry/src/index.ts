/**
 * @kelly/registry: the model registry on the tracking store — versions, aliases, gates, promotion, publishing
 * `registry.json`, rollback, and old registry files imported as history. See README.md.
 */
export { MODEL_ALIASES, type ModelAlias } from '@kelly/tracking/schema';
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
  type NativeRtneuralCheck,
  type NativeRtneuralOutcome,
} from './gates';
export { HELD_OUT_ARTIFACT_KIND, heldOutPath, gateNative } from './native-gate';
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
export { registryModelHistory } from './registry-history';
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
export { RegistryConflictError, RegistryNotFoundError } from './registry-store';
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
// The published file's format; its schema lives in @kelly/legacy (registry-json.ts) beside the tolerant reader.
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
} from '@kelly/legacy';
export { buildModelEntry, trainingBlock, modelIdFor, taskFor } from './model-entry';
export { summarizeRtneural, type RtneuralSummary } from './rtneural-summary';
