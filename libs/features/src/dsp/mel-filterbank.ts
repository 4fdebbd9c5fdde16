import type { FeatureSpec } from './feature-spec';
import { doubles, ints } from './fft-tables';

/**
 * Slaney mel filterbank as `librosa.filters.mel(sr, n_fft, n_mels, fmin, fmax, htk=False, norm='slaney')`
 * computes it, in float64. Layout `[mel][fft_bin]`, nMels × (nFft/2 + 1).
 * @see https://github.com/librosa/librosa/blob/0.11.0/librosa/filters.py (mel, mel_frequencies)
 */
export interface MelFilterbank {
  readonly nMels: number;
  readonly nBins: number;
  /** Dense weights, [nMels][nBins] row-major. */
  readonly weights: Float64Array;
  /** Per band: first and last (exclusive) bin with a non-zero weight; the sparse form used by logMel. */
  readonly start: Int32Array;
  readonly end: Int32Array;
  /** The nMels + 2 band edges in Hz. */
  readonly edgesHz: Float64Array;
  /**
   * The sparse form logMel uses: non-zero weights only, band after band (8 KB instead of 262 KB); band m's run
   * is packed[packedOffset[m] … packedOffset[m + 1]) and weighs power bins from start[m] on. Plain arrays of
   * doubles/integers, not typed arrays (why: fft-tables.ts).
   */
  readonly packed: readonly number[];
  readonly packedOffset: readonly number[];
  readonly packedStart: readonly number[];
}

const F_SP = 200 / 3;
const MIN_LOG_HZ = 1000;
const MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
const LOGSTEP = Math.log(6.4) / 27;

/** Slaney Hz → mel: linear below 1 kHz, logarithmic above. */
export function hzToMel(hz: number, htk = false): number {
  if (htk) return 2595 * Math.log10(1 + hz / 700);
  return hz >= MIN_LOG_HZ ? MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOGSTEP : hz / F_SP;
}

export function melToHz(mel: number, htk = false): number {
  if (htk) return 700 * (10 ** (mel / 2595) - 1);
  return mel >= MIN_LOG_MEL ? MIN_LOG_HZ * Math.exp(LOGSTEP * (mel - MIN_LOG_MEL)) : F_SP * mel;
}

const cache = new Map<string, MelFilterbank>();

/** Builds (and memoises per process) the filterbank for a spec. `htk` switches the mel scale only. */
export function melFilterbank(spec: FeatureSpec, htk = false): MelFilterbank {
  const key = `${spec.sampleRate}/${spec.nFft}/${spec.nMels}/${spec.fMin}/${spec.fMax}/${htk}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const { sampleRate: sr, nFft, nMels, fMin, fMax } = spec;
  const nBins = nFft / 2 + 1;
  const melMin = hzToMel(fMin, htk);
  const melMax = hzToMel(fMax, htk);
  const edgesHz = new Float64Array(nMels + 2);
  // np.linspace(min_mel, max_mel, n_mels + 2)
  const step = (melMax - melMin) / (nMels + 1);
  for (let i = 0; i < nMels + 2; i++) {
    edgesHz[i] = melToHz(i === nMels + 1 ? melMax : melMin + i * step, htk);
  }
  const weights = new Float64Array(nMels * nBins);
  const start = new Int32Array(nMels);
  const end = new Int32Array(nMels);
  for (let m = 0; m < nMels; m++) {
    const lo = edgesHz[m]!;
    const mid = edgesHz[m + 1]!;
    const hi = edgesHz[m + 2]!;
    const enorm = 2 / (hi - lo);
    let first = -1;
    let last = -1;
    for (let k = 0; k < nBins; k++) {
      const f = (k * sr) / nFft;
      const lower = (f - lo) / (mid - lo);
      const upper = (hi - f) / (hi - mid);
      const w = Math.max(0, Math.min(lower, upper)) * enorm;
      weights[m * nBins + k] = w;
      if (w !== 0) {
        if (first < 0) first = k;
        last = k;
      }
    }
    start[m] = first < 0 ? 0 : first;
    end[m] = first < 0 ? 0 : last + 1;
  }
  const packedOffset = ints(nMels + 1);
  for (let m = 0; m < nMels; m++) packedOffset[m + 1] = packedOffset[m]! + (end[m]! - start[m]!);
  const packed = doubles(packedOffset[nMels]!);
  for (let m = 0; m < nMels; m++) {
    for (let k = start[m]!; k < end[m]!; k++)
      packed[packedOffset[m]! + k - start[m]!] = weights[m * nBins + k]!;
  }
  const packedStart = ints(nMels);
  for (let m = 0; m < nMels; m++) packedStart[m] = start[m]!;
  const bank: MelFilterbank = {
    nMels,
    nBins,
    weights,
    start,
    end,
    edgesHz,
    packed,
    packedOffset,
    packedStart,
  };
  cache.set(key, bank);
  return bank;
}
