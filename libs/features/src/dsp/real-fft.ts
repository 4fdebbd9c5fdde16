import { gather32, gather64, loadEdge, loadFrame } from './fft-load';
import { lastRadix2, radix4Passes } from './fft-passes';
import { lastRadix2SplitPower, splitPower, splitSpectrum } from './fft-split';
import { doubles, doublesFrom, fftTables, type FftTables } from './fft-tables';

/**
 * Real FFT of size N (power of two ≥ 8) in float64, as an N/2-point complex radix-2² FFT on the packed sequence
 * z[n] = x[2n] + i·x[2n+1] followed by the real split step (fft-split.ts). The window is applied while packing
 * (into bit-reversed order, fused with the first passes) and |X[k]|² comes straight out of the split step, so
 * a log-mel frame makes no extra passes over the data. Output has no scaling (numpy's rfft).
 *
 * Work arrays, tables and the power output are plain JS arrays of doubles, not typed arrays (why: fft-tables.ts),
 * so the speed does not depend on whether something else in the process has detached an ArrayBuffer.
 * Not thread-safe: each instance owns its scratch.
 */
export class RealFft {
  readonly n: number;
  /** |X[k]|², k = 0 … N/2, written by `transformPower` / `power`; valid until the next call. */
  readonly powerOut: number[];
  private readonly m: number;
  private readonly re: number[];
  private readonly im: number[];
  private readonly t: FftTables;
  private window: number[];

  constructor(n: number) {
    if (!(n >= 8 && (n & (n - 1)) === 0))
      throw new Error(`RealFft: size must be a power of two ≥ 8 (got ${n})`);
    this.n = n;
    this.m = n / 2;
    this.re = doubles(this.m);
    this.im = doubles(this.m);
    this.powerOut = doubles(this.m + 1);
    this.t = fftTables(n);
    this.window = doubles(n).fill(1);
  }

  /** Sets the window `loadWindowed` applies (N values, copied; rectangular until set). */
  setWindow(window: ArrayLike<number>): void {
    if (window.length !== this.n)
      throw new Error(`RealFft: window has ${window.length} values, expected ${this.n}`);
    this.window = doublesFrom(window);
  }

  /**
   * Packs window[i]·x[first + i] for i < N (zero outside [0, x.length)) into bit-reversed order and runs the
   * size-2/size-4 passes (every loader does; `transform` / `transformPower` do the rest).
   */
  loadWindowed(x: Float64Array | Float32Array, first: number): void {
    const { re, im, m, window } = this;
    const { rev } = this.t;
    if (first < 0 || first + this.n > x.length) loadEdge(x, first, window, rev, re, im, m);
    else if (x instanceof Float32Array) gather32(x, first, window, rev, re, im, m);
    else gather64(x, first, window, rev, re, im, m);
  }

  /** Packs an already-windowed frame of N samples. */
  load(frame: Float64Array): void {
    loadFrame(frame, this.t.rev, this.re, this.im, this.m);
  }

  /** In-place complex FFT of the loaded M points (the loaders already ran the first passes). */
  transform(): void {
    const { re, im, m } = this;
    const { twRe, twIm } = this.t;
    if (radix4Passes(re, im, m, twRe, twIm)) lastRadix2(re, im, m, twRe, twIm);
  }

  /**
   * `transform()` then `power()`, with a trailing radix-2 pass (log2(M) odd) fused into the split step.
   * Bit-identical to the two-step form. @returns `powerOut`: |X[k]|², k = 0 … N/2.
   */
  transformPower(): number[] {
    const { re, im, m, powerOut } = this;
    const { twRe, twIm, spRe, spIm } = this.t;
    if (radix4Passes(re, im, m, twRe, twIm))
      lastRadix2SplitPower(re, im, m, twRe, twIm, spRe, spIm, powerOut);
    else splitPower(re, im, m, spRe, spIm, powerOut);
    return powerOut;
  }

  /** Split step after `transform()`. @returns `powerOut`: |X[k]|², k = 0 … N/2. */
  power(): number[] {
    splitPower(this.re, this.im, this.m, this.t.spRe, this.t.spIm, this.powerOut);
    return this.powerOut;
  }

  /** Split step after `transform()`: the complex spectrum X[k], k = 0 … N/2, into outRe/outIm. */
  spectrum(outRe: Float64Array, outIm: Float64Array): void {
    splitSpectrum(this.re, this.im, this.m, this.t.spRe, this.t.spIm, outRe, outIm);
  }
}
