// RTNeural: format schema, strict validator, streaming inference (see README "RTNeural").
export * from './rtneural/schema';
export {
  validateRtneuralModel,
  assertRtneuralModel,
  formatJsonPath,
  RtneuralModelError,
} from './rtneural/validate';
export type { RtneuralValidation, RtneuralValidationError } from './rtneural/validate';
export { loadRtneuralModel } from './rtneural/inference';
export type { RtneuralStreamModel } from './rtneural/inference';
export { validateRtneuralText, readRtneuralModelFile } from './rtneural/model-file';
export { exportToRtneural, float32ToJsonNumber, RtneuralExportError } from './rtneural/export';
export { checkParity, historyFrames, tfjsReference } from './rtneural/parity';
export type { ParityReport, ParityClips, ReferenceClip } from './rtneural/parity';
export { measureRealtime } from './rtneural/realtime';
export type { RealtimeOptions, RealtimeReport } from './rtneural/realtime';
// Fused LSTM + fast per-frame dense (see README "FusedLSTM").
export { FusedLSTM, fusedLstmLayer } from './lstm/fused-lstm';
export type { FusedLstmArgs } from './lstm/fused-lstm';
export { fusedLstm } from './lstm/fused-lstm-op';
export { lstmWasm, type LstmWasmVariant } from './lstm/lstm-wasm';
export { TimeDense, timeDense, denseRows } from './lstm/time-dense';
export type { TimeDenseArgs, TimeDenseActivation } from './lstm/time-dense';
export { loadStockLstmWeights } from './lstm/stock-lstm-weights';
export {
  selectBackend,
  assertTrainableBackend,
  CpuBackendRefusedError,
  type BackendInfo,
  type SelectBackendOptions,
} from './backend';
export { lstmLayer, type RecurrentLayerOptions } from './definitions/recurrent';
export { CausalConv1D, type CausalConv1DArgs, type CausalConvActivation } from './definitions/causal-conv1d';
export {
  createMelodyTransformer,
  melodyLoss,
  weightedMelodyLoss,
  type MelodyLossWeights,
  MelodyTransformerConfigSchema,
  type MelodyTransformerConfig,
} from './definitions/melody-transformer';
export {
  createGroovePredictor,
  grooveLoss,
  GroovePredictorConfigSchema,
  type GroovePredictorConfig,
} from './definitions/groove-predictor';
export {
  createEmotionRecognizer,
  emotionLoss,
  causalPadFrames,
  EmotionRecognizerConfigSchema,
  type EmotionRecognizerConfig,
} from './definitions/emotion-recognizer';
export {
  createEmotionNodeClassifier,
  emotionNodeLoss,
  emotionNodeTarget,
  splitEmotionNodeHeads,
  assertEmotionNodeLayout,
  EMOTION_NODE_SLICES,
  EMOTION_NODE_COUNTS,
  EMOTION_NODE_OUTPUTS,
  EmotionNodeClassifierConfigSchema,
  type EmotionNodeClassifierConfig,
} from './definitions/emotion-node-classifier';
export { cosineWithWarmup, type CosineWithWarmupOptions } from './training/schedule';
export { EarlyStopping, type EarlyStoppingOptions, type EarlyStoppingState } from './training/early-stopping';
export {
  binaryMetrics,
  meanAbsoluteError,
  classificationMetrics,
  argmax,
  type BinaryMetrics,
  type ClassificationMetrics,
} from './training/metrics';
export { AdamW, type AdamWOptions } from './training/adamw';
export {
  saveLayersModel,
  loadLayersModel,
  saveNamedTensors,
  loadNamedTensors,
  type SavedModelFiles,
} from './training/checkpoint-io';
export {
  trainStep,
  trainableVariables,
  predictBatched,
  evaluateLoss,
  type LossFn,
  type StepResult,
} from './training/train-step';
// Data-parallel training across worker threads (see README "Parallel training").
export { createParallelTrainer, defaultWorkerCount, shardRanges } from './parallel/parallel-trainer';
export type {
  BatchGradients,
  ParallelTiming,
  ParallelTrainer,
  ParallelTrainerOptions,
} from './parallel/parallel-trainer';
export type { ModelSpec } from './parallel/protocol';
export { PARALLEL_LOSS_NAMES, lossValue } from './parallel/shard-gradients';
export type { ParallelLoss, ParallelLossFn, ParallelLossName } from './parallel/shard-gradients';
export { addInputNorm, INPUT_NORM_LAYER } from './definitions/input-norm-layer';
// Melody note decoding and mir_eval-rule note metrics (see README "Notes").
export {
  NoteDecodingSchema,
  parseNoteDecoding,
  decodeNotes,
  rollNotes,
  framesToSeconds,
  notesToRoll,
  type NoteDecoding,
  type FrameNote,
  type TimedNote,
} from './notes/note-decoding';
export {
  MIR_EVAL_RULES,
  countMatches,
  prf1,
  NoteScorer,
  type MatchRules,
  type NoteCounts,
  type PrF1,
} from './notes/note-metrics';
export { melodyNoteScores } from './notes/melody-notes';
