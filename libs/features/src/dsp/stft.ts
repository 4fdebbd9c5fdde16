import FFT from 'fft.js';
import type { FeatureSpec } from './feature-spec';

/** Periodic Hann, `w[n] = 0.5 − 0.5·cos(2πn/N)` (scipy `get_window('hann', N, fftbins=True)`). */
export function hannPeriodic(n: number): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
  return w;
}

/**
 * One reusable real-FFT power spectrum engine (fft.js radix-4, float64).
 * Not thread-safe: each instance owns its scratch buffers.
 */
export class PowerSpectrum {
  readonly nFft: number;
  readonly nBins: number;
  readonly window: Float64Array;
  /** Windowed frame, nFft samples. */
  readonly frame: Float64Array;
  /** fft.js output, interleaved re/im, 2·nFft (only the first nBins complex values are used). */
  readonly spectrum: Float64Array;
  private readonly fft: FFT;

  constructor(spec: FeatureSpec) {
    this.nFft = spec.nFft;
    this.nBins = spec.nFft / 2 + 1;
    this.window = hannPeriodic(spec.nFft);
    this.frame = new Float64Array(spec.nFft);
    this.spectrum = new Float64Array(2 * spec.nFft);
    this.fft = new FFT(spec.nFft);
  }

  /**
   * Loads the frame centred on sample `centre` of `x` (zeros outside [0, x.length)), applies the window,
   * and writes |X[k]|², k = 0 … nFft/2, into `out` at `outOffset`.
   */
  frameAt(x: ArrayLike<number>, centre: number, out: Float64Array, outOffset = 0): void {
    const { nFft, frame, window } = this;
    const first = centre - nFft / 2;
    const lo = Math.max(0, -first);
    const hi = Math.min(nFft, x.length - first);
    if (lo > 0 || hi < nFft) frame.fill(0);
    for (let i = lo; i < hi; i++) frame[i] = x[first + i]! * window[i]!;
    this.powerOfFrame(out, outOffset);
  }

  /** |rfft(frame)|² of the current `frame` buffer into `out[outOffset … outOffset + nBins)`. */
  powerOfFrame(out: Float64Array, outOffset = 0): void {
    this.fft.realTransform(this.spectrum, this.frame);
    const s = this.spectrum;
    for (let k = 0; k < this.nBins; k++) {
      const re = s[2 * k]!;
      const im = s[2 * k + 1]!;
      out[outOffset + k] = re * re + im * im;
    }
  }

  /** The bare transform of the current frame (used by the benchmark as the baseline). */
  transformOnly(): void {
    this.fft.realTransform(this.spectrum, this.frame);
  }
}

/**
 * |STFT|² as `np.abs(librosa.stft(y, n_fft, hop_length, center=True, pad_mode='constant'))**2`,
 * layout [frames][nFft/2 + 1] row-major, float64.
 */
export function stftPower(samples: ArrayLike<number>, spec: FeatureSpec): { frames: number; bins: number; data: Float64Array } {
  const ps = new PowerSpectrum(spec);
  const frames = 1 + Math.floor(samples.length / spec.hop);
  const data = new Float64Array(frames * ps.nBins);
  for (let t = 0; t < frames; t++) ps.frameAt(samples, t * spec.hop, data, t * ps.nBins);
  return { frames, bins: ps.nBins, data };
}
