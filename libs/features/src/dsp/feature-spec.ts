/**
 * The seed's feature front end, exactly as librosa 0.11 computes it:
 * `librosa.feature.melspectrogram(y, sr=16000, n_fft=1024, hop_length=256, n_mels=64, power=2.0)`
 * (periodic Hann window, `center=True` with zero padding, Slaney mel scale and Slaney area norm),
 * followed by the log recorded in `log`.
 * @see https://librosa.org/doc/0.11.0/generated/librosa.feature.melspectrogram.html
 */
export interface FeatureSpec {
  /** Hz; every clip is resampled to this rate before analysis. */
  readonly sampleRate: number;
  /** FFT size = window length, samples. */
  readonly nFft: number;
  /** Hop between frames, samples (16 ms at 16 kHz). */
  readonly hop: number;
  readonly nMels: number;
  /** Hz, lower/upper edge of the mel filterbank. */
  readonly fMin: number;
  readonly fMax: number;
  readonly window: 'hann-periodic';
  /** Frame t is centred on sample t·hop; the signal is padded with nFft/2 zeros on each side. */
  readonly center: true;
  readonly padMode: 'constant';
  /** |X|^power. */
  readonly power: 2;
  readonly melScale: 'slaney';
  readonly melNorm: 'slaney';
  /**
   * `ln_eps`: natural log, `ln(S + logEps)` (floor ln(1e-6) = −13.8155 on silence).
   * `power_to_db`: `10·log10(max(S, logEps))` (floor −100 dB with 1e-10).
   */
  readonly log: 'ln_eps' | 'power_to_db';
  readonly logEps: number;
}

/** The seed's spec. Model inputs are `[frames][64]` of `ln(S + 1e-6)`. */
export const FEATURE_SPEC: FeatureSpec = Object.freeze({
  sampleRate: 16000,
  nFft: 1024,
  hop: 256,
  nMels: 64,
  fMin: 0,
  fMax: 8000,
  window: 'hann-periodic',
  center: true,
  padMode: 'constant',
  power: 2,
  melScale: 'slaney',
  melNorm: 'slaney',
  log: 'ln_eps',
  logEps: 1e-6,
} as const);

/** Number of frames librosa produces for `n` samples with `center=True`: `1 + floor(n / hop)`. */
export function frameCount(nSamples: number, spec: FeatureSpec = FEATURE_SPEC): number {
  return 1 + Math.floor(nSamples / spec.hop);
}

/** Samples needed for `frames` frames (inverse of frameCount: the shortest such length). */
export function samplesForFrames(frames: number, spec: FeatureSpec = FEATURE_SPEC): number {
  return Math.max(0, frames - 1) * spec.hop;
}

/** The value `log` gives for silence (S = 0). */
export function logFloor(spec: FeatureSpec = FEATURE_SPEC): number {
  return spec.log === 'ln_eps' ? Math.log(spec.logEps) : 10 * Math.log10(spec.logEps);
}

/** Stable string for hashing (cache keys, dataset hashes). */
export function specKey(spec: FeatureSpec): string {
  const keys = Object.keys(spec).sort() as (keyof FeatureSpec)[];
  return JSON.stringify(keys.map((k) => [k, spec[k]]));
}
