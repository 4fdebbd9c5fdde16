/**
 * The real FFT's split step: from Z = FFT_M(z), z[n] = x[2n] + i·x[2n+1], to X[k], k = 0 … N/2 (N = 2M):
 *   X[k] = E[k] + e^(−2πik/N)·O[k],  E = (Z[k] + conj Z[M−k]) / 2,  O = (Z[k] − conj Z[M−k]) / 2i,
 *   X[M−k] = conj(E[k]) − conj(e^(−2πik/N)·O[k]).
 * re, im hold Z (plain doubles); spRe, spIm the e^(−2πik/N) table (fft-tables.ts). No scaling (numpy's rfft).
 * @see https://www.dsprelated.com/showarticle/800.php (real FFT via a half-length complex FFT)
 */

/** |X[k]|², k = 0 … M, into out[0 … M]. */
export function splitPower(
  re: number[],
  im: number[],
  m: number,
  spRe: number[],
  spIm: number[],
  out: number[],
): void {
  out[0] = (re[0]! + im[0]!) ** 2;
  out[m] = (re[0]! - im[0]!) ** 2;
  for (let k = 1; k <= m / 2; k++) {
    const zr = re[k]!,
      zi = im[k]!,
      cr = re[m - k]!,
      ci = -im[m - k]!; // Z[k], conj Z[M−k]
    const er = 0.5 * (zr + cr),
      ei = 0.5 * (zi + ci);
    const dr = 0.5 * (zr - cr),
      di = 0.5 * (zi - ci); // O = d / i = (di, −dr)
    const or = di,
      oi = -dr;
    const wr = spRe[k]!,
      wi = spIm[k]!;
    const pr = or * wr - oi * wi,
      pi = or * wi + oi * wr;
    out[k] = (er + pr) ** 2 + (ei + pi) ** 2;
    out[m - k] = (er - pr) ** 2 + (pi - ei) ** 2;
  }
}

/**
 * `lastRadix2` then `splitPower` in one pass over the data: re, im hold the two half-size DFTs U[j] = Z-half at
 * j and V[j] at j + M/2, with Z[j] = U + w^j·V, Z[j + M/2] = U − w^j·V. Same operations in the same order as the
 * two-pass form, so bit-identical results (tested).
 */
export function lastRadix2SplitPower(
  re: number[],
  im: number[],
  m: number,
  twRe: number[],
  twIm: number[],
  spRe: number[],
  spIm: number[],
  out: number[],
): void {
  const h = m / 2;
  const u0r = re[0]!,
    u0i = im[0]!,
    v0r = re[h]!,
    v0i = im[h]!;
  const t0r = v0r * twRe[0]! - v0i * twIm[0]!,
    t0i = v0r * twIm[0]! + v0i * twRe[0]!;
  const z0r = u0r + t0r,
    z0i = u0i + t0i;
  out[0] = (z0r + z0i) ** 2;
  out[m] = (z0r - z0i) ** 2;
  {
    // k = h: Z[h] paired with itself.
    const zr = u0r - t0r,
      zi = u0i - t0i,
      cr = zr,
      ci = -zi;
    const er = 0.5 * (zr + cr),
      ei = 0.5 * (zi + ci);
    const or = 0.5 * (zi - ci),
      oi = -(0.5 * (zr - cr));
    const wr = spRe[h]!,
      wi = spIm[h]!;
    const pr = or * wr - oi * wi,
      pi = or * wi + oi * wr;
    // splitPower writes out[h] twice and keeps the X[M − k] form; so does this, for bit-identical results.
    out[h] = (er - pr) ** 2 + (pi - ei) ** 2;
  }
  for (let j = 1; j <= h / 2; j++) {
    const q = h - j;
    const wjr = twRe[j]!,
      wji = twIm[j]!,
      wqr = twRe[q]!,
      wqi = twIm[q]!;
    const vjr = re[j + h]!,
      vji = im[j + h]!,
      vqr = re[q + h]!,
      vqi = im[q + h]!;
    const tjr = vjr * wjr - vji * wji,
      tji = vjr * wji + vji * wjr;
    const tqr = vqr * wqr - vqi * wqi,
      tqi = vqr * wqi + vqi * wqr;
    const ujr = re[j]!,
      uji = im[j]!,
      uqr = re[q]!,
      uqi = im[q]!;
    // Z[j], Z[M − j] = Z[h + q], Z[q], Z[M − q] = Z[h + j]
    const ajr = ujr + tjr,
      aji = uji + tji,
      bjr = uqr - tqr,
      bji = uqi - tqi;
    const aqr = uqr + tqr,
      aqi = uqi + tqi,
      bqr = ujr - tjr,
      bqi = uji - tji;
    {
      const cr = bjr,
        ci = -bji;
      const er = 0.5 * (ajr + cr),
        ei = 0.5 * (aji + ci);
      const or = 0.5 * (aji - ci),
        oi = -(0.5 * (ajr - cr));
      const wr = spRe[j]!,
        wi = spIm[j]!;
      const pr = or * wr - oi * wi,
        pi = or * wi + oi * wr;
      out[j] = (er + pr) ** 2 + (ei + pi) ** 2;
      out[m - j] = (er - pr) ** 2 + (pi - ei) ** 2;
    }
    {
      const cr = bqr,
        ci = -bqi;
      const er = 0.5 * (aqr + cr),
        ei = 0.5 * (aqi + ci);
      const or = 0.5 * (aqi - ci),
        oi = -(0.5 * (aqr - cr));
      const wr = spRe[q]!,
        wi = spIm[q]!;
      const pr = or * wr - oi * wi,
        pi = or * wi + oi * wr;
      out[q] = (er + pr) ** 2 + (ei + pi) ** 2;
      out[m - q] = (er - pr) ** 2 + (pi - ei) ** 2;
    }
  }
}

/** The complex spectrum X[k], k = 0 … M, into outRe/outIm[0 … M]. */
export function splitSpectrum(
  re: number[],
  im: number[],
  m: number,
  spRe: number[],
  spIm: number[],
  outRe: Float64Array,
  outIm: Float64Array,
): void {
  outRe[0] = re[0]! + im[0]!;
  outIm[0] = 0;
  outRe[m] = re[0]! - im[0]!;
  outIm[m] = 0;
  for (let k = 1; k <= m / 2; k++) {
    const zr = re[k]!,
      zi = im[k]!,
      cr = re[m - k]!,
      ci = -im[m - k]!;
    const er = 0.5 * (zr + cr),
      ei = 0.5 * (zi + ci);
    const or = 0.5 * (zi - ci),
      oi = -0.5 * (zr - cr);
    const wr = spRe[k]!,
      wi = spIm[k]!;
    const pr = or * wr - oi * wi,
      pi = or * wi + oi * wr;
    outRe[k] = er + pr;
    outIm[k] = ei + pi;
    outRe[m - k] = er - pr;
    outIm[m - k] = pi - ei;
  }
}
