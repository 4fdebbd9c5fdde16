/**
 * Loading a real frame of N = 2M samples into the complex work arrays (re, im: M plain doubles each) as the
 * packed sequence z[i] = x[2i] + i·x[2i+1], in bit-reversed order, with the window applied and the size-2 and
 * size-4 passes of the decimation-in-time FFT already done.
 */

/** The size-2 and size-4 passes, fused, in place over bit-reversed data (no multiplications: twiddles 1, −i). */
export function firstPasses(re: number[], im: number[], m: number): void {
  for (let s = 0; s < m; s += 4) {
    const ar = re[s]!,
      ai = im[s]!,
      br = re[s + 1]!,
      bi = im[s + 1]!;
    const cr = re[s + 2]!,
      ci = im[s + 2]!,
      dr = re[s + 3]!,
      di = im[s + 3]!;
    const t0r = ar + br,
      t0i = ai + bi,
      t1r = ar - br,
      t1i = ai - bi;
    const t2r = cr + dr,
      t2i = ci + di,
      t3r = cr - dr,
      t3i = ci - di;
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

/**
 * window[i]·x[first + i], i < N, all inside x: gathered in bit-reversed order fused with the size-2/size-4
 * passes. Block s reads natural points p = rev[s], p + M/2, p + M/4, p + 3M/4 (the low two index bits reversed
 * to the top). Float64 input; `gather32` is the same code for float32 input (one copy per input type keeps each
 * call site monomorphic in V8).
 */
export function gather64(
  x: Float64Array,
  first: number,
  window: number[],
  rev: number[],
  re: number[],
  im: number[],
  m: number,
): void {
  const h = m >> 1,
    q = m >> 2,
    q3 = h + q;
  for (let s = 0; s < m; s += 4) {
    const p = rev[s]!;
    const pa = 2 * p,
      pb = 2 * (p + h),
      pc = 2 * (p + q),
      pd = 2 * (p + q3);
    const xa = first + pa,
      xb = first + pb,
      xc = first + pc,
      xd = first + pd;
    const ar = x[xa]! * window[pa]!,
      ai = x[xa + 1]! * window[pa + 1]!;
    const br = x[xb]! * window[pb]!,
      bi = x[xb + 1]! * window[pb + 1]!;
    const cr = x[xc]! * window[pc]!,
      ci = x[xc + 1]! * window[pc + 1]!;
    const dr = x[xd]! * window[pd]!,
      di = x[xd + 1]! * window[pd + 1]!;
    const t0r = ar + br,
      t0i = ai + bi,
      t1r = ar - br,
      t1i = ai - bi;
    const t2r = cr + dr,
      t2i = ci + di,
      t3r = cr - dr,
      t3i = ci - di;
    re[s] = t0r + t2r;
    im[s] = t0i + t2i;
    re[s + 2] = t0r - t2r;
    im[s + 2] = t0i - t2i;
    re[s + 1] = t1r + t3i;
    im[s + 1] = t1i - t3r;
    re[s + 3] = t1r - t3i;
    im[s + 3] = t1i + t3r;
  }
}

/** `gather64` for float32 input. */
export function gather32(
  x: Float32Array,
  first: number,
  window: number[],
  rev: number[],
  re: number[],
  im: number[],
  m: number,
): void {
  const h = m >> 1,
    q = m >> 2,
    q3 = h + q;
  for (let s = 0; s < m; s += 4) {
    const p = rev[s]!;
    const pa = 2 * p,
      pb = 2 * (p + h),
      pc = 2 * (p + q),
      pd = 2 * (p + q3);
    const xa = first + pa,
      xb = first + pb,
      xc = first + pc,
      xd = first + pd;
    const ar = x[xa]! * window[pa]!,
      ai = x[xa + 1]! * window[pa + 1]!;
    const br = x[xb]! * window[pb]!,
      bi = x[xb + 1]! * window[pb + 1]!;
    const cr = x[xc]! * window[pc]!,
      ci = x[xc + 1]! * window[pc + 1]!;
    const dr = x[xd]! * window[pd]!,
      di = x[xd + 1]! * window[pd + 1]!;
    const t0r = ar + br,
      t0i = ai + bi,
      t1r = ar - br,
      t1i = ai - bi;
    const t2r = cr + dr,
      t2i = ci + di,
      t3r = cr - dr,
      t3i = ci - di;
    re[s] = t0r + t2r;
    im[s] = t0i + t2i;
    re[s + 2] = t0r - t2r;
    im[s + 2] = t0i - t2i;
    re[s + 1] = t1r + t3i;
    im[s + 1] = t1i - t3r;
    re[s + 3] = t1r - t3i;
    im[s + 3] = t1i + t3r;
  }
}

/**
 * window[i]·x[first + i] with zeros outside [0, x.length) (the centred frames at the signal's edges), then the
 * first passes. Rare (a few frames per signal), so one polymorphic copy serves both input types.
 */
export function loadEdge(
  x: Float64Array | Float32Array,
  first: number,
  window: number[],
  rev: number[],
  re: number[],
  im: number[],
  m: number,
): void {
  const len = x.length;
  for (let i = 0; i < m; i++) {
    const r = rev[i]!;
    const a = first + 2 * i;
    re[r] = a >= 0 && a < len ? x[a]! * window[2 * i]! : 0;
    im[r] = a + 1 >= 0 && a + 1 < len ? x[a + 1]! * window[2 * i + 1]! : 0;
  }
  firstPasses(re, im, m);
}

/** An already-windowed frame of N samples, then the first passes. */
export function loadFrame(frame: Float64Array, rev: number[], re: number[], im: number[], m: number): void {
  for (let i = 0; i < m; i++) {
    const r = rev[i]!;
    re[r] = frame[2 * i]!;
    im[r] = frame[2 * i + 1]!;
  }
  firstPasses(re, im, m);
}
