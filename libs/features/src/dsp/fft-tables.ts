/**
 * Plain float64 arrays for the FFT and mel inner loops, and the FFT's tables.
 *
 * Why not Float64Array: once any ArrayBuffer in the isolate has been detached (wasm `memory.grow` in the MP3
 * decoder or resampler, a worker's transfer list, `ArrayBuffer.prototype.transfer`), V8 invalidates its
 * "array buffer detaching" protector and optimized code then checks every typed-array access for a detached
 * buffer: log-mel got ~25% slower in any process that loads this library's audio I/O. A JS array of doubles
 * (V8 PACKED_DOUBLE_ELEMENTS: unboxed float64 values, no holes) has no buffer to detach, so its loads and stores
 * stay as fast whatever else the process does. Values are the same IEEE doubles, so results are bit-identical.
 */

/**
 * n zeros as a packed array of doubles. Built from a non-integer value so V8 picks double elements from the
 * start (an array of 0s would be small-integer elements and change kind, and deoptimize, on its first double).
 */
export function doubles(n: number): number[] {
  const a: number[] = [];
  for (let i = 0; i < n; i++) a.push(0.5);
  return a.fill(0);
}

/** A packed double copy of `src`. */
export function doublesFrom(src: ArrayLike<number>): number[] {
  const a = doubles(src.length);
  for (let i = 0; i < src.length; i++) a[i] = src[i]!;
  return a;
}

/** Packed small-integer array of n zeros (indices). */
export function ints(n: number): number[] {
  const a: number[] = [];
  for (let i = 0; i < n; i++) a.push(0);
  return a;
}

/** The tables a real FFT of size N = 2M needs. */
export interface FftTables {
  /** M = N/2, the size of the complex FFT. */
  readonly m: number;
  /** Bit reversal of log2(M) bits: rev[i], i < M. */
  readonly rev: number[];
  /** e^(−2πij/M), j < M/2: cos and −sin (the complex FFT's twiddles). */
  readonly twRe: number[];
  readonly twIm: number[];
  /** e^(−2πik/N), k ≤ M/2 (the real split step's twiddles). */
  readonly spRe: number[];
  readonly spIm: number[];
}

export function fftTables(n: number): FftTables {
  const m = n / 2;
  const rev = ints(m);
  const bits = Math.log2(m);
  for (let i = 0; i < m; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
    rev[i] = r;
  }
  const twRe = doubles(m / 2);
  const twIm = doubles(m / 2);
  for (let j = 0; j < m / 2; j++) {
    twRe[j] = Math.cos((2 * Math.PI * j) / m);
    twIm[j] = -Math.sin((2 * Math.PI * j) / m);
  }
  const spRe = doubles(m / 2 + 1);
  const spIm = doubles(m / 2 + 1);
  for (let k = 0; k <= m / 2; k++) {
    spRe[k] = Math.cos((2 * Math.PI * k) / n);
    spIm[k] = -Math.sin((2 * Math.PI * k) / n);
  }
  return { m, rev, twRe, twIm, spRe, spIm };
}
