import { FEATURE_SPEC, frameCount, type FeatureSpec } from './feature-spec';
import { melFilterbank, type MelFilterbank } from './mel-filterbank';
import { PowerSpectrum } from './stft';

/** Frames of features, `[frames][bands]` row-major. */
export interface FeatureMatrix<T extends Float32Array | Float64Array = Float32Array> {
  readonly frames: number;
  /** Values per frame (nMels for mel features). */
  readonly bands: number;
  readonly data: T;
}

/** The per-frame mel projection: S[m] = Σ_k W[m][k]·P[k], sparse over each band's non-zero bins. */
export function melOfPower(bank: MelFilterbank, power: Float64Array, out: Float64Array, outOffset: number): void {
  const { weights, start, end, nBins, nMels } = bank;
  for (let m = 0; m < nMels; m++) {
    const row = m * nBins;
    let acc = 0;
    for (let k = start[m]!, e = end[m]!; k < e; k++) acc += weights[row + k]! * power[k]!;
    out[outOffset + m] = acc;
  }
}

/** Applies the spec's log to one value of mel power. */
export function logOf(s: number, spec: FeatureSpec): number {
  return spec.log === 'ln_eps' ? Math.log(s + spec.logEps) : 10 * Math.log10(Math.max(s, spec.logEps));
}

/**
 * Mel power spectrogram S, float64, `[frames][nMels]`, frames = 1 + floor(n / hop).
 * Matches librosa's `melspectrogram(..., power=2.0)` (transposed) to ~1e-9 relative.
 */
export function melPower(samples: ArrayLike<number>, spec: FeatureSpec = FEATURE_SPEC): FeatureMatrix<Float64Array> {
  const bank = melFilterbank(spec);
  const ps = new PowerSpectrum(spec);
  const frames = frameCount(samples.length, spec);
  const power = new Float64Array(ps.nBins);
  const data = new Float64Array(frames * spec.nMels);
  for (let t = 0; t < frames; t++) {
    ps.frameAt(samples, t * spec.hop, power, 0);
    melOfPower(bank, power, data, t * spec.nMels);
  }
  return { frames, bands: spec.nMels, data };
}

/**
 * Log-mel features: the spec's log of `melPower`, computed in float64 and stored as float32.
 * @returns `{ frames, bands: 64, data }`, data `[frames][64]` row-major, ready for `tf.tensor2d(data, [frames, 64])`.
 */
export function logMel(samples: ArrayLike<number>, spec: FeatureSpec = FEATURE_SPEC): FeatureMatrix {
  const s = melPower(samples, spec);
  const data = new Float32Array(s.data.length);
  for (let i = 0; i < data.length; i++) data[i] = logOf(s.data[i]!, spec);
  return { frames: s.frames, bands: s.bands, data };
}
