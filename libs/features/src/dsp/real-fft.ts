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

  /**
   * Packs window[i]·x[first + i] for i < N (zero outside [0, x.length)) into bit-reversed order and runs the
   * size-2/size-4 passes (every loader does; `transform` does the rest).
   */
  loadWindowed(x: Float64Array, first: number, window: Float64Array): void {
    const { re, im, rev, m } = this;
    const len = x.length;
    if (first >= 0 && first + this.n <= len) {
      // Gather in bit-reversed order fused with the size-2/size-4 passes: block s reads natural points
      // p = rev[s], p + M/2, p + M/4, p + 3M/4 (the low two index bits reversed to the top).
      const h = m >> 1, q = m >> 2, q3 = h + q;
      for (let s = 0; s < m; s += 4) {
        const p = rev[s]!;
        const pa = 2 * p, pb = 2 * (p + h), pc = 2 * (p + q), pd = 2 * (p + q3);
        const ar = x[first + pa]! * window[pa]!, ai = x[first + pa + 1]! * window[pa + 1]!;
        const br = x[first + pb]! * window[pb]!, bi = x[first + pb + 1]! * window[pb + 1]!;
        const cr = x[first + pc]! * window[pc]!, ci = x[first + pc + 1]! * window[pc + 1]!;
        const dr = x[first + pd]! * window[pd]!, di = x[first + pd + 1]! * window[pd + 1]!;
        const t0r = ar + br, t0i = ai + bi, t1r = ar - br, t1i = ai - bi;
        const t2r = cr + dr, t2i = ci + di, t3r = cr - dr, t3i = ci - di;
        re[s] = t0r + t2r;
        im[s] = t0i + t2i;
        re[s + 2] = t0r - t2r;
        im[s + 2] = t0i - t2i;
        re[s + 1] = t1r + t3i;
        im[s + 1] = t1i - t3r;
        re[s + 3] = t1r - t3i;
        im[s + 3] = t1i + t3r;
      }
      return;
    }
    for (let i = 0; i < m; i++) {
      const r = rev[i]!;
      const a = first + 2 * i;
      re[r] = a >= 0 && a < len ? x[a]! * window[2 * i]! : 0;
      im[r] = a + 1 >= 0 && a + 1 < len ? x[a + 1]! * window[2 * i + 1]! : 0;
    }
    this.firstStage();
  }

  /** `loadWindowed` for float32 input (a separate copy so each stays monomorphic and fast in V8). */
  loadWindowed32(x: Float32Array, first: number, window: Float64Array): void {
    const { re, im, rev, m } = this;
    const len = x.length;
    if (first >= 0 && first + this.n <= len) {
      // Gather in bit-reversed order fused with the size-2/size-4 passes: block s reads natural points
      // p = rev[s], p + M/2, p + M/4, p + 3M/4 (the low two index bits reversed to the top).
      const h = m >> 1, q = m >> 2, q3 = h + q;
      for (let s = 0; s < m; s += 4) {
        const p = rev[s]!;
        const pa = 2 * p, pb = 2 * (p + h), pc = 2 * (p + q), pd = 2 * (p + q3);
        const ar = x[first + pa]! * window[pa]!, ai = x[first + pa + 1]! * window[pa + 1]!;
        const br = x[first + pb]! * window[pb]!, bi = x[first + pb + 1]! * window[pb + 1]!;
        const cr = x[first + pc]! * window[pc]!, ci = x[first + pc + 1]! * window[pc + 1]!;
        const dr = x[first + pd]! * window[pd]!, di = x[first + pd + 1]! * window[pd + 1]!;
        const t0r = ar + br, t0i = ai + bi, t1r = ar - br, t1i = ai - bi;
        const t2r = cr + dr, t2i = ci + di, t3r = cr - dr, t3i = ci - di;
        re[s] = t0r + t2r;
        im[s] = t0i + t2i;
        re[s + 2] = t0r - t2r;
        im[s + 2] = t0i - t2i;
        re[s + 1] = t1r + t3i;
        im[s + 1] = t1i - t3r;
        re[s + 3] = t1r - t3i;
        im[s + 3] = t1i + t3r;
      }
      return;
    }
    for (let i = 0; i < m; i++) {
      const r = rev[i]!;
      const a = first + 2 * i;
      re[r] = a >= 0 && a < len ? x[a]! * window[2 * i]! : 0;
      im[r] = a + 1 >= 0 && a + 1 < len ? x[a + 1]! * window[2 * i + 1]! : 0;
    }
    this.firstStage();
  }

  /** Packs an already-windowed frame of N samples. */
  load(frame: Float64Array): void {
    const { re, im, rev, m } = this;
    for (let i = 0; i < m; i++) {
      const r = rev[i]!;
      re[r] = frame[2 * i]!;
      im[r] = frame[2 * i + 1]!;
    }
    this.firstStage();
  }

  /** The size-2 and size-4 passes, fused, in place (no multiplications: twiddles 1 and −i). */
  private firstStage(): void {
    const { re, im, m } = this;
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
  }


  /** In-place complex FFT of the loaded M points (decimation in time; the loaders already ran the first passes). */
  transform(): void {
    if (this.core()) this.lastRadix2();
  }

  /**
   * All passes but a trailing radix-2 one; returns whether that pass (log2(M) odd) is still due. It is left to
   * `lastRadix2` or fused into `transformPower`.
   */
  private core(): boolean {
    const { re, im, m, twRe, twIm } = this;
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
    return 2 * L === m;
  }

  private lastRadix2(): void {
    const { re, im, m, twRe, twIm } = this;
    const L = m / 2;
    {
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

  /**
   * `transform()` then `power(out, offset)`, with the trailing radix-2 pass (log2(M) odd) fused into the split
   * step: one pass over the data instead of two. Same operations in the same order, so bit-identical results.
   */
  transformPower(out: Float64Array, offset = 0): void {
    if (!this.core()) {
      this.power(out, offset);
      return;
    }
    const { re, im, m, twRe, twIm, spRe, spIm } = this;
    const h = m / 2;
    // The two half-size DFTs: U[j] = (re, im)[j], V[j] = (re, im)[j + h]; Z[j] = U + w^j·V, Z[j + h] = U − w^j·V.
    const u0r = re[0]!, u0i = im[0]!, v0r = re[h]!, v0i = im[h]!;
    const t0r = v0r * twRe[0]! - v0i * twIm[0]!, t0i = v0r * twIm[0]! + v0i * twRe[0]!;
    const z0r = u0r + t0r, z0i = u0i + t0i;
    out[offset] = (z0r + z0i) ** 2;
    out[offset + m] = (z0r - z0i) ** 2;
    {
      // k = h: Z[h] paired with itself.
      const zr = u0r - t0r, zi = u0i - t0i, cr = zr, ci = -zi;
      const er = 0.5 * (zr + cr), ei = 0.5 * (zi + ci);
      const or = 0.5 * (zi - ci), oi = -(0.5 * (zr - cr));
      const wr = spRe[h]!, wi = spIm[h]!;
      const pr = or * wr - oi * wi, pi = or * wi + oi * wr;
      // power() writes out[h] twice and keeps the X[M − k] form; so does this, for bit-identical results.
      out[offset + h] = (er - pr) ** 2 + (pi - ei) ** 2;
    }
    for (let j = 1; j <= h / 2; j++) {
      const q = h - j;
      const wjr = twRe[j]!, wji = twIm[j]!, wqr = twRe[q]!, wqi = twIm[q]!;
      const vjr = re[j + h]!, vji = im[j + h]!, vqr = re[q + h]!, vqi = im[q + h]!;
      const tjr = vjr * wjr - vji * wji, tji = vjr * wji + vji * wjr;
      const tqr = vqr * wqr - vqi * wqi, tqi = vqr * wqi + vqi * wqr;
      const ujr = re[j]!, uji = im[j]!, uqr = re[q]!, uqi = im[q]!;
      // Z[j], Z[M − j] = Z[h + q], Z[q], Z[M − q] = Z[h + j]
      const ajr = ujr + tjr, aji = uji + tji, bjr = uqr - tqr, bji = uqi - tqi;
      const aqr = uqr + tqr, aqi = uqi + tqi, bqr = ujr - tjr, bqi = uji - tji;
      {
        const cr = bjr, ci = -bji;
        const er = 0.5 * (ajr + cr), ei = 0.5 * (aji + ci);
        const or = 0.5 * (aji - ci), oi = -(0.5 * (ajr - cr));
        const wr = spRe[j]!, wi = spIm[j]!;
        const pr = or * wr - oi * wi, pi = or * wi + oi * wr;
        out[offset + j] = (er + pr) ** 2 + (ei + pi) ** 2;
        out[offset + m - j] = (er - pr) ** 2 + (pi - ei) ** 2;
      }
      {
        const cr = bqr, ci = -bqi;
        const er = 0.5 * (aqr + cr), ei = 0.5 * (aqi + ci);
        const or = 0.5 * (aqi - ci), oi = -(0.5 * (aqr - cr));
        const wr = spRe[q]!, wi = spIm[q]!;
        const pr = or * wr - oi * wi, pi = or * wi + oi * wr;
        out[offset + q] = (er + pr) ** 2 + (ei + pi) ** 2;
        out[offset + m - q] = (er - pr) ** 2 + (pi - ei) ** 2;
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
