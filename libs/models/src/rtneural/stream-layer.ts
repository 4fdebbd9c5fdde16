/**
 * One layer of the streaming model: one frame in, one frame out, as RTNeural's `Layer<T>::forward`.
 * Computation is float64; `out` is owned by the layer and overwritten by the next `forward`.
 */
export interface StreamLayer {
  readonly inSize: number;
  readonly outSize: number;
  /** @param x input frame, length `inSize` @returns output frame, length `outSize` (layer-owned buffer) */
  forward(x: Float64Array): Float64Array;
  /** Zeroes the state (LSTM h/c, GRU h, conv1d history); no-op for stateless layers. */
  reset(): void;
}

/** Row-major copy of a [rows][cols] matrix whose sizes the validator has checked. */
export function flatMatrix(m: readonly (readonly number[])[], rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const row = m[r]!;
    for (let c = 0; c < cols; c++) out[r * cols + c] = row[c]!;
  }
  return out;
}

/** out[0:cols] += x · M for a row-major M [x.length][cols]; skips zero inputs. */
export function addVecMat(out: Float64Array, x: Float64Array, m: Float64Array, cols: number): void {
  for (let r = 0; r < x.length; r++) {
    const xr = x[r]!;
    if (xr === 0) continue;
    const off = r * cols;
    for (let c = 0; c < cols; c++) out[c] = out[c]! + xr * m[off + c]!;
  }
}
