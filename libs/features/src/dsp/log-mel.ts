import { FEATURE_SPEC, frameCount, type FeatureSpec } from './feature-spec';
import { melFilterbank, type MelFilterbank } from './mel-filterbank';
import { doubles } from './fft-tables';
import { PowerSpectrum } from './stft';

/** Frames of features, `[frames][bands]` row-major. */
export interface FeatureMatrix<T extends Float32Array | Float64Array = Float32Array> {
  readonly frames: number;
  /** Values per frame (nMels for mel features). */
  readonly bands: number;
  readonly data: T;
}

/** The per-frame mel projection: S[m] = Σ_k W[m][k]·P[k], over each band's non-zero bins (packed weights). */
export function melOfPower(bank: MelFilterbank, power: readonly number[], out: number[]): void {
  const { packed, packedOffset, packedStart, nMels } = bank;
  for (let m = 0; m < nMels; m++) {
    // Two interleaved sums halve the add latency chain (the order differs from one sum by rounding only).
    let acc0 = 0;
    let acc1 = 0;
    const o = packedOffset[m]!;
    const len = packedOffset[m + 1]! - o;
    const d = packedStart[m]! - o; // power index of packed[i] is i + d
    const e = o + len - 1;
    let i = o;
    for (; i < e; i += 2) {
      acc0 += packed[i]! * power[i + d]!;
      acc1 += packed[i + 1]! * power[i + 1 + d]!;
    }
    if (i < o + len) acc0 += packed[i]! * power[i + d]!;
    out[m] = acc0 + acc1;
  }
}

/** Applies the spec's log to one value of mel power. */
export function logOf(s: number, spec: FeatureSpec): number {
  return spec.log === 'ln_eps' ? Math.log(s + spec.logEps) : 10 * Math.log10(Math.max(s, spec.logEps));
}

/**
 * Float32Array and Float64Array input are read as they are (each through its own monomorphic loader); anything
 * else (number[] …) is copied to float64 once. Arithmetic is float64 either way.
 */
function asTyped(samples: ArrayLike<number>): Float64Array | Float32Array {
  if (samples instanceof Float64Array || samples instanceof Float32Array) return samples;
  // `new Float64Array(arrayLike)` takes the fast element-copy path; `Float64Array.from` iterates (~10× slower).
  return new Float64Array(samples as ArrayLike<number> & Iterable<number>);
}

/**
 * Runs the frame loop: for each frame t, |rfft(window · frame)|² then the mel projection into `mel`, and hands
 * the frame's 64 values to `emit(t, mel)`.
 */
function forEachMelFrame(
  samples: ArrayLike<number>,
  spec: FeatureSpec,
  emit: (t: number, mel: number[]) => void,
): number {
  const x = asTyped(samples);
  const bank = melFilterbank(spec);
  const ps = new PowerSpectrum(spec);
  const frames = frameCount(x.length, spec);
  const mel = doubles(spec.nMels);
  for (let t = 0; t < frames; t++) {
    melOfPower(bank, ps.frameAt(x, t * spec.hop), mel);
    emit(t, mel);
  }
  return frames;
}

/**
 * Mel power spectrogram S, float64, `[frames][nMels]`, frames = 1 + floor(n / hop).
 * Matches librosa's `melspectrogram(..., power=2.0)` (transposed) to ~1e-9 relative.
 */
export function melPower(
  samples: ArrayLike<number>,
  spec: FeatureSpec = FEATURE_SPEC,
): FeatureMatrix<Float64Array> {
  const data = new Float64Array(frameCount(samples.length, spec) * spec.nMels);
  const frames = forEachMelFrame(samples, spec, (t, mel) => data.set(mel, t * spec.nMels));
  return { frames, bands: spec.nMels, data };
}

/**
 * Log-mel features: the spec's log of `melPower`, computed in float64 and stored as float32.
 * @returns `{ frames, bands: 64, data }`, data `[frames][64]` row-major, ready for `tf.tensor2d(data, [frames, 64])`.
 */
export function logMel(samples: ArrayLike<number>, spec: FeatureSpec = FEATURE_SPEC): FeatureMatrix {
  const x = asTyped(samples);
  const bank = melFilterbank(spec);
  const ps = new PowerSpectrum(spec);
  const frames = frameCount(x.length, spec);
  const n = spec.nMels;
  const mel = doubles(n);
  const data = new Float32Array(frames * n);
  const eps = spec.logEps;
  const ln = spec.log === 'ln_eps';
  for (let t = 0; t < frames; t++) {
    melOfPower(bank, ps.frameAt(x, t * spec.hop), mel);
    const o = t * n;
    if (ln) for (let m = 0; m < n; m++) data[o + m] = Math.log(mel[m]! + eps);
    else for (let m = 0; m < n; m++) data[o + m] = logOf(mel[m]!, spec);
  }
  return { frames, bands: n, data };
}
