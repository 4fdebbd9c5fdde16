/** mulberry32: a small, fast, seedable PRNG; returns floats in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A random matrix [rows, cols] whose rows (if rows ≤ cols) or columns are orthonormal, times `gain`,
 * by modified Gram–Schmidt on Gaussian vectors in plain JS: O(min² · max), ~30 ms for [256, 1024],
 * where tfjs's QR-based `orthogonal` initializer takes seconds on wasm. Same distribution as Keras'
 * Orthogonal (Haar-distributed up to the sign convention). Deterministic for a given seed.
 */
export function orthogonalMatrix(rows: number, cols: number, seed: number, gain = 1): Float32Array {
  const rand = mulberry32(seed);
  const n = Math.min(rows, cols); // number of orthonormal vectors
  const len = Math.max(rows, cols); // their length
  const v = new Float64Array(n * len);
  for (let k = 0; k < v.length; k += 2) {
    // Box–Muller
    const u1 = Math.max(rand(), 1e-12);
    const u2 = rand();
    const r = Math.sqrt(-2 * Math.log(u1));
    v[k] = r * Math.cos(2 * Math.PI * u2);
    if (k + 1 < v.length) v[k + 1] = r * Math.sin(2 * Math.PI * u2);
  }
  for (let a = 0; a < n; a++) {
    const ao = a * len;
    for (let p = 0; p < a; p++) {
      const po = p * len;
      let dot = 0;
      for (let k = 0; k < len; k++) dot += v[ao + k]! * v[po + k]!;
      for (let k = 0; k < len; k++) v[ao + k]! -= dot * v[po + k]!;
    }
    let norm = 0;
    for (let k = 0; k < len; k++) norm += v[ao + k]! * v[ao + k]!;
    const inv = 1 / Math.sqrt(norm);
    for (let k = 0; k < len; k++) v[ao + k]! *= inv;
  }
  const out = new Float32Array(rows * cols);
  for (let a = 0; a < n; a++) {
    for (let k = 0; k < len; k++) {
      // vectors are rows when rows ≤ cols, else columns
      if (rows <= cols) out[a * cols + k] = gain * v[a * len + k]!;
      else out[k * cols + a] = gain * v[a * len + k]!;
    }
  }
  return out;
}
