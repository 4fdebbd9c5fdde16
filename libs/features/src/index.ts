// @kelly/features: audio I/O, librosa-exact log-mel, MIDI targets, datasets and their validation.
export { FEATURE_SPEC, frameCount, samplesForFrames, logFloor, specKey, type FeatureSpec } from './dsp/feature-spec';
export { melFilterbank, hzToMel, melToHz, type MelFilterbank } from './dsp/mel-filterbank';
export { hannPeriodic, stftPower, PowerSpectrum } from './dsp/stft';
export { logMel, melPower, logOf, type FeatureMatrix } from './dsp/log-mel';
export { StreamingLogMel } from './dsp/streaming-log-mel';
export type { Dataset, DatasetKind, Example, SynthOptions } from './datasets/dataset-types';
