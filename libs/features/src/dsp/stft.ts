import type { FeatureSpec } from './feature-spec';
import { RealFft } from './real-fft';

/** Periodic Hann, `w[n] = 0.5 − 0.5·cos(2πn/N)` (scipy `get_window('hann', N, fftbins=True)`). */
export function hannPeriodic(n: number): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n);
  return w;
}

/**
 * One reusable power-spectrum engine (RealFft: radix-2² float64, window fused into the packing, |X|² fused
 * into the split step). Not thread-safe: each instance owns its scratch buffers.
 */
export class PowerSpectrum {
  readonly nFft: number;
  readonly nBins: number;
  /** The periodic Hann window (a copy is what the FFT applies: changing this array changes nothing). */
  readonly window: Float64Array;
  /** Scratch frame for `transformOnly` (the benchmark's baseline), nFft samples. */
  readonly frame: Float64Array;
  /** Complex spectrum written by `transformOnly`, nBins each. */
  readonly specRe: Float64Array;
  readonly specIm: Float64Array;
  private readonly fft: RealFft;

  constructor(spec: FeatureSpec) {
    this.nFft = spec.nFft;
    this.nBins = spec.nFft / 2 + 1;
    this.window = hannPeriodic(spec.nFft);
    this.frame = new Float64Array(spec.nFft);
    this.specRe = new Float64Array(this.nBins);
    this.specIm = new Float64Array(this.nBins);
    this.fft = new RealFft(spec.nFft);
    this.fft.setWindow(this.window);
  }

  /**
   * |X[k]|², k = 0 … nFft/2, of the windowed frame centred on sample `centre` of `x` (zeros outside
   * [0, x.length)). @returns the engine's own array of nBins values, overwritten by the next call.
   */
  frameAt(x: Float64Array | Float32Array, centre: number): number[] {
    this.fft.loadWindowed(x, centre - this.nFft / 2);
    return this.fft.transformPower();
  }

  /** The bare real FFT of `frame` (already windowed) into specRe/specIm: the benchmark's baseline. */
  transformOnly(): void {
    this.fft.load(this.frame);
    this.fft.transform();
    this.fft.spectrum(this.specRe, this.specIm);
  }
}

/**
 * |STFT|² as `np.abs(librosa.stft(y, n_fft, hop_length, center=True, pad_mode='constant'))**2`,
 * layout [frames][nFft/2 + 1] row-major, float64.
 */
export function stftPower(
  samples: ArrayLike<number>,
  spec: FeatureSpec,
): { frames: number; bins: number; data: Float64Array } {
  const x =
    samples instanceof Float64Array
      ? samples
      : new Float64Array(samples as ArrayLike<number> & Iterable<number>);
  const ps = new PowerSpectrum(spec);
  const frames = 1 + Math.floor(samples.length / spec.hop);
  const data = new Float64Array(frames * ps.nBins);
  for (let t = 0; t < frames; t++) {
    const power = ps.frameAt(x, t * spec.hop);
    for (let k = 0; k < ps.nBins; k++) data[t * ps.nBins + k] = power[k]!;
  }
  return { frames, bins: ps.nBins, data };
}
