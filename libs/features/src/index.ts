// @kelly/features: audio I/O, librosa-exact log-mel, MIDI targets, datasets and their validation.
// Imports nothing of ours. See README.md for shapes and units.
export {
  FEATURE_SPEC,
  frameCount,
  samplesForFrames,
  logFloor,
  specKey,
  type FeatureSpec,
} from './dsp/feature-spec';
export { melFilterbank, hzToMel, melToHz, type MelFilterbank } from './dsp/mel-filterbank';
export { hannPeriodic, stftPower, PowerSpectrum } from './dsp/stft';
export { RealFft } from './dsp/real-fft';
export { logMel, melPower, logOf, type FeatureMatrix } from './dsp/log-mel';
export { StreamingLogMel } from './dsp/streaming-log-mel';

export { AudioError } from './audio/audio-error';
export { readAudio, decodeAudio, type Audio } from './audio/read-audio';
export { decodeWav, type DecodedAudio } from './audio/wav';
export { decodeMp3 } from './audio/mp3';
export { resample, type ResampleQuality } from './audio/resample';

export { readMidiNotes, type MidiNote } from './targets/midi-notes';
export { midiToPianoRoll, type PianoRoll, type PianoRollOptions } from './targets/piano-roll';
export { grooveTimingFeatures, type GrooveNoteFeature, type GridOptions } from './targets/groove-features';

export { preparePiano, PianoBank, type PianoNote } from './synth/piano-sampler';
export { Rng } from './synth/rng';

export type { Dataset, DatasetKind, Example, SynthOptions } from './datasets/dataset-types';
export { assembleDataset, datasetHash, splitExamples } from './datasets/assemble';
export {
  buildSynthDataset,
  buildMelodyDataset,
  buildGrooveDataset,
  buildEmotionDataset,
  buildEmotionNodeDataset,
  synthClipAudio,
  SYNTH_DEFAULTS,
  MAX_CLIP_FRAMES,
  renderMelodyAudio,
  type SynthDatasetOptions,
} from './datasets/synth-datasets';
export type { MelodyClipAudio } from './datasets/synth-datasets';
export {
  EMOTION_NODE_LEVELS,
  EMOTION_NODE_TARGET_LAYOUT,
  emotionNodeLayout,
  type EmotionNodeLayout,
  type EmotionNodeLevels,
} from './datasets/emotion-node-layout';
export { EMOTION_LABELS, EMOTION_CUES, type EmotionLabel, type CueProfile } from './datasets/emotion-cues';
export { loadEmotionThesaurus } from './datasets/emotion-thesaurus';
export { writeEmotionThesaurus } from './datasets/emotion-thesaurus-writer';
export {
  resolveEmotionHierarchy,
  loadHierarchyJson,
  hierarchyFromJson,
  hierarchyToJson,
  BUNDLED_HIERARCHY_FILE,
  HierarchyJsonSchema,
  type HierarchyJson,
} from './datasets/emotion-hierarchy';
export type { EmotionHierarchy, EmotionNode } from './datasets/emotion-hierarchy-types';
export { GROOVE_STEPS, GROOVE_FEATURES } from './datasets/groove-plan';
export { WorkerPool } from './parallel/worker-pool';
export { extractLogMelParallel } from './parallel/extract-parallel';
export { FeatureCache } from './cache/feature-cache';
export { loadMaestro, MAESTRO_CSV, type MaestroOptions } from './loaders/maestro';
export { loadManifestDataset, DatasetManifest } from './loaders/manifest';
export { loadPairs, type AudioMidiPair, type PairLoadOptions } from './loaders/paired-clips';
export { parseCsv } from './loaders/csv';
export {
  validateDataset,
  formatValidationReport,
  type ValidationReport,
  type ValidationCheck,
  type CheckName,
} from './validation/validate-dataset';
export { expectationsFor, silenceLevel, type DatasetExpectations } from './validation/expectations';
