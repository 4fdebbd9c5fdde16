/**
 * The complex FFT's middle passes, in place on M points (re, im: plain doubles, bit-reversed input whose size-2
 * and size-4 passes are done; see fft-load.ts). Decimation in time; twiddles e^(−2πij/M) from fft-tables.ts.
 */

/**
 * Radix-2² passes (four size-L DFTs → one size-4L DFT per pass: half the loads and stores of two radix-2
 * passes) from L = 4 while 4L ≤ M. Returns whether one radix-2 pass (log2(M) odd) is still due; it is left to
 * `lastRadix2` or fused into the power split (fft-split.ts).
 */
export function radix4Passes(re: number[], im: number[], m: number, twRe: number[], twIm: number[]): boolean {
  let L = 4;
  for (; 4 * L <= m; L *= 4) {
    const s2 = m / (2 * L); // twiddle stride for w_{2L}
    const s4 = m / (4 * L); // twiddle stride for w_{4L}
    for (let j = 0; j < L; j++) {
      const w2r = twRe[j * s2]!,
        w2i = twIm[j * s2]!;
      const w4r = twRe[j * s4]!,
        w4i = twIm[j * s4]!;
      for (let b = j; b < m; b += 4 * L) {
        const i1 = b + L,
          i2 = b + 2 * L,
          i3 = b + 3 * L;
        const a0r = re[b]!,
          a0i = im[b]!;
        const x1r = re[i1]!,
          x1i = im[i1]!;
        const a2r = re[i2]!,
          a2i = im[i2]!;
        const x3r = re[i3]!,
          x3i = im[i3]!;
        const a1r = x1r * w2r - x1i * w2i,
          a1i = x1r * w2i + x1i * w2r;
        const a3r = x3r * w2r - x3i * w2i,
          a3i = x3r * w2i + x3i * w2r;
        const p0r = a0r + a1r,
          p0i = a0i + a1i,
          p1r = a0r - a1r,
          p1i = a0i - a1i;
        const q0r = a2r + a3r,
          q0i = a2i + a3i,
          q1r = a2r - a3r,
          q1i = a2i - a3i;
        const t0r = q0r * w4r - q0i * w4i,
          t0i = q0r * w4i + q0i * w4r;
        const t1r = q1r * w4r - q1i * w4i,
          t1i = q1r * w4i + q1i * w4r;
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
  return 2 * L === m;
}

/** The trailing radix-2 pass (size M/2 halves → size M). */
export function lastRadix2(re: number[], im: number[], m: number, twRe: number[], twIm: number[]): void {
  const L = m / 2;
  for (let j = 0; j < L; j++) {
    const wr = twRe[j]!,
      wi = twIm[j]!;
    const o = j + L;
    const xr = re[o]!,
      xi = im[o]!;
    const tr = xr * wr - xi * wi,
      ti = xr * wi + xi * wr;
    const ur = re[j]!,
      ui = im[j]!;
    re[j] = ur + tr;
    im[j] = ui + ti;
    re[o] = ur - tr;
    im[o] = ui - ti;
  }
}
