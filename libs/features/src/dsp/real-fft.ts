/**
 * Real FFT of size N (power of two ≥ 8) in float64, as an N/2-point complex radix-2 FFT on the packed
 * sequence z[n] = x[2n] + i·x[2n+1] followed by the standard split step
 *   X[k] = E[k] + e^(−2πik/N)·O[k],  E = (Z[k] + conj Z[M−k]) / 2,  O = (Z[k] − conj Z[M−k]) / 2i,  k = 0 … N/2.
 * The window is applied while packing (into bit-reversed order) and |X[k]|² can be produced directly by the
 * split step, so a log-mel frame does no extra passes over the data. Output has no scaling (numpy's rfft).
 * @see https://www.dsprelated.com/showarticle/800.php (real FFT via a half-length complex FFT)
 */
export class RealFft {
  readonly n: number;
  private readonly m: number;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  private readonly rev: Uint32Array;
  /** e^(−2πij/M), j < M/2: cos and −sin. */
  private readonly twRe: Float64Array;
  private readonly twIm: Float64Array;
  /** e^(−2πik/N), k ≤ M/2. */
  private readonly spRe: Float64Array;
  private readonly spIm: Float64Array;

  constructor(n: number) {
    if (!(n >= 8 && (n & (n - 1)) === 0)) throw new Error(`RealFft: size must be a power of two ≥ 8 (got ${n})`);
    this.n = n;
    const m = (this.m = n / 2);
    this.re = new Float64Array(m);
    this.im = new Float64Array(m);
    this.rev = new Uint32Array(m);
    const bits = Math.log2(m);
    for (let i = 0; i < m; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      this.rev[i] = r;
    }
    this.twRe = new Float64Array(m / 2);
    this.twIm = new Float64Array(m / 2);
    for (let j = 0; j < m / 2; j++) {
      this.twRe[j] = Math.cos((2 * Math.PI * j) / m);
      this.twIm[j] = -Math.sin((2 * Math.PI * j) / m);
    }
    this.spRe = new Float64Array(m / 2 + 1);
    this.spIm = new Float64Array(m / 2 + 1);
    for (let k = 0; k <= m / 2; k++) {
      this.spRe[k] = Math.cos((2 * Math.PI * k) / n);
      this.spIm[k] = -Math.sin((2 * Math.PI * k) / n);
    }
  }

  /** Packs window[i]·x[first + i] for i < N (zero outside [0, x.length)) into bit-reversed order. */
  loadWindowed(x: Float64Array, first: number, window: Float64Array): void {
    const { re, im, rev, m } = this;
    const len = x.length;
    if (first >= 0 && first + this.n <= len) {
      for (let i = 0; i < m; i++) {
        const r = rev[i]!;
        const a = first + 2 * i;
        re[r] = x[a]! * window[2 * i]!;
        im[r] = x[a + 1]! * window[2 * i + 1]!;
      }
      return;
    }
    for (let i = 0; i < m; i++) {
      const r = rev[i]!;
      const a = first + 2 * i;
      re[r] = a >= 0 && a < len ? x[a]! * window[2 * i]! : 0;
      im[r] = a + 1 >= 0 && a + 1 < len ? x[a + 1]! * window[2 * i + 1]! : 0;
    }
  }

  /** `loadWindowed` for float32 input (a separate copy so each stays monomorphic and fast in V8). */
  loadWindowed32(x: Float32Array, first: number, window: Float64Array): void {
    const { re, im, rev, m } = this;
    const len = x.length;
    if (first >= 0 && first + this.n <= len) {
      for (let i = 0; i < m; i++) {
        const r = rev[i]!;
        const a = first + 2 * i;
        re[r] = x[a]! * window[2 * i]!;
        im[r] = x[a + 1]! * window[2 * i + 1]!;
      }
      return;
    }
    for (let i = 0; i < m; i++) {
      const r = rev[i]!;
      const a = first + 2 * i;
      re[r] = a >= 0 && a < len ? x[a]! * window[2 * i]! : 0;
      im[r] = a + 1 >= 0 && a + 1 < len ? x[a + 1]! * window[2 * i + 1]! : 0;
    }
  }

  /** Packs an already-windowed frame of N samples. */
  load(frame: Float64Array): void {
    const { re, im, rev, m } = this;
    for (let i = 0; i < m; i++) {
      const r = rev[i]!;
      re[r] = frame[2 * i]!;
      im[r] = frame[2 * i + 1]!;
    }
  }

  /** In-place complex FFT of the packed M points (decimation in time). */
  transform(): void {
    const { re, im, m, twRe, twIm } = this;
    // Size-2 and size-4 stages fused, no multiplications (twiddles 1 and −i).
    for (let s = 0; s < m; s += 4) {
      const ar = re[s]!, ai = im[s]!, br = re[s + 1]!, bi = im[s + 1]!;
      const cr = re[s + 2]!, ci = im[s + 2]!, dr = re[s + 3]!, di = im[s + 3]!;
      const t0r = ar + br, t0i = ai + bi, t1r = ar - br, t1i = ai - bi;
      const t2r = cr + dr, t2i = ci + di, t3r = cr - dr, t3i = ci - di;
      re[s] = t0r + t2r;
      im[s] = t0i + t2i;
      re[s + 2] = t0r - t2r;
      im[s + 2] = t0i - t2i;
      // t1 ± (−i)·t3
      re[s + 1] = t1r + t3i;
      im[s + 1] = t1i - t3r;
      re[s + 3] = t1r - t3i;
      im[s + 3] = t1i + t3r;
    }
    // Radix-2² passes: four size-L DFTs → one size-4L DFT per pass (half the loads/stores of two radix-2 stages).
    let L = 4;
    for (; 4 * L <= m; L *= 4) {
      const s2 = m / (2 * L); // twiddle stride for w_{2L}
      const s4 = m / (4 * L); // twiddle stride for w_{4L}
      for (let j = 0; j < L; j++) {
        const w2r = twRe[j * s2]!, w2i = twIm[j * s2]!;
        const w4r = twRe[j * s4]!, w4i = twIm[j * s4]!;
        for (let b = j; b < m; b += 4 * L) {
          const i1 = b + L, i2 = b + 2 * L, i3 = b + 3 * L;
          const a0r = re[b]!, a0i = im[b]!;
          const x1r = re[i1]!, x1i = im[i1]!;
          const a2r = re[i2]!, a2i = im[i2]!;
          const x3r = re[i3]!, x3i = im[i3]!;
          const a1r = x1r * w2r - x1i * w2i, a1i = x1r * w2i + x1i * w2r;
          const a3r = x3r * w2r - x3i * w2i, a3i = x3r * w2i + x3i * w2r;
          const p0r = a0r + a1r, p0i = a0i + a1i, p1r = a0r - a1r, p1i = a0i - a1i;
          const q0r = a2r + a3r, q0i = a2i + a3i, q1r = a2r - a3r, q1i = a2i - a3i;
          const t0r = q0r * w4r - q0i * w4i, t0i = q0r * w4i + q0i * w4r;
          const t1r = q1r * w4r - q1i * w4i, t1i = q1r * w4i + q1i * w4r;
          re[b] = p0r + t0r;
          im[b] = p0i + t0i;
          re[i2] = p0r - t0r;
          im[i2] = p0i - t0i;
          // −i·t1 = (t1i, −t1r)
          re[i1] = p1r + t1i;
          im[i1] = p1i - t1r;
          re[i3] = p1r - t1i;
          im[i3] = p1i + t1r;
        }
      }
    }
    // One radix-2 pass left when log2(M) is odd.
    if (2 * L === m) {
      for (let j = 0; j < L; j++) {
        const wr = twRe[j]!, wi = twIm[j]!;
        const o = j + L;
        const xr = re[o]!, xi = im[o]!;
        const tr = xr * wr - xi * wi, ti = xr * wi + xi * wr;
        const ur = re[j]!, ui = im[j]!;
        re[j] = ur + tr;
        im[j] = ui + ti;
        re[o] = ur - tr;
        im[o] = ui - ti;
      }
    }
  }

  /** Split step producing |X[k]|², k = 0 … N/2, into out[offset …]. */
  power(out: Float64Array, offset = 0): void {
    const { re, im, m, spRe, spIm } = this;
    out[offset] = (re[0]! + im[0]!) ** 2;
    out[offset + m] = (re[0]! - im[0]!) ** 2;
    for (let k = 1; k <= m / 2; k++) {
      const zr = re[k]!, zi = im[k]!, cr = re[m - k]!, ci = -im[m - k]!; // Z[k], conj Z[M−k]
      const er = 0.5 * (zr + cr), ei = 0.5 * (zi + ci);
      const dr = 0.5 * (zr - cr), di = 0.5 * (zi - ci); // O = d / i = (di, −dr)
      const or = di, oi = -dr;
      const wr = spRe[k]!, wi = spIm[k]!;
      const pr = or * wr - oi * wi, pi = or * wi + oi * wr;
      out[offset + k] = (er + pr) ** 2 + (ei + pi) ** 2;
      // X[M−k] = conj(E[k]) − conj(e^(−2πik/N)·O[k])
      out[offset + m - k] = (er - pr) ** 2 + (pi - ei) ** 2;
    }
  }

  /** Split step producing the complex spectrum X[k], k = 0 … N/2. */
  spectrum(outRe: Float64Array, outIm: Float64Array): void {
    const { re, im, m, spRe, spIm } = this;
    outRe[0] = re[0]! + im[0]!;
    outIm[0] = 0;
    outRe[m] = re[0]! - im[0]!;
    outIm[m] = 0;
    for (let k = 1; k <= m / 2; k++) {
      const zr = re[k]!, zi = im[k]!, cr = re[m - k]!, ci = -im[m - k]!;
      const er = 0.5 * (zr + cr), ei = 0.5 * (zi + ci);
      const or = 0.5 * (zi - ci), oi = -0.5 * (zr - cr);
      const wr = spRe[k]!, wi = spIm[k]!;
      const pr = or * wr - oi * wi, pi = or * wi + oi * wr;
      outRe[k] = er + pr;
      outIm[k] = ei + pi;
      outRe[m - k] = er - pr;
      outIm[m - k] = pi - ei;
    }
  }
}
