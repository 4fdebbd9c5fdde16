import { describe, expect, it } from 'vitest';
import { lstmWasm, type LstmWasm } from './lstm-wasm';

/** Deterministic values in [-1, 1). */
function fill(view: Float32Array, seed: number): Float32Array {
  let s = seed;
  for (let i = 0; i < view.length; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    view[i] = s / 1073741824 - 1;
  }
  return view;
}

/** C = (acc ? C0 : 0) + op(A)·B in float64, op(A)[i][k] = transA ? A[k*M + i] : A[i*K + k]. */
function reference(
  M: number,
  N: number,
  K: number,
  A: Float32Array,
  transA: boolean,
  B: Float32Array,
  C0: Float32Array | null,
) {
  const out = new Float64Array(M * N);
  for (let i = 0; i < M; i++)
    for (let j = 0; j < N; j++) {
      let s = C0 ? C0[i * N + j]! : 0;
      for (let k = 0; k < K; k++) s += (transA ? A[k * M + i]! : A[i * K + k]!) * B[k * N + j]!;
      out[i * N + j] = s;
    }
  return out;
}

function gemm(
  w: LstmWasm,
  M: number,
  N: number,
  K: number,
  transA: boolean,
  acc: boolean,
  viaTranspose: boolean,
) {
  const padded = K * Math.ceil(N / 8) * 8;
  const [a, b, bt, bp, c] = [w.alloc(M * K), w.alloc(K * N), w.alloc(K * N), w.alloc(padded), w.alloc(M * N)];
  fill(w.f32(a, M * K), 1 + M);
  const B = fill(w.f32(b, K * N), 2 + N);
  const BT = w.f32(bt, K * N);
  for (let k = 0; k < K; k++) for (let j = 0; j < N; j++) BT[j * K + k] = B[k * N + j]!;
  const C0 = fill(w.f32(c, M * N), 3 + K).slice();
  if (viaTranspose) w.exports.pack_bt(K, N, bt, K, bp);
  else w.exports.pack_b(K, N, b, N, bp);
  w.exports.gemm(M, N, K, a, transA ? M : K, transA ? 1 : 0, bp, c, N, acc ? 1 : 0);
  const got = w.f32(c, M * N).slice();
  const want = reference(M, N, K, w.f32(a, M * K), transA, w.f32(b, K * N), acc ? C0 : null);
  for (const [o, n] of [
    [a, M * K],
    [b, K * N],
    [bt, K * N],
    [bp, padded],
    [c, M * N],
  ] as const)
    w.free(o, n);
  return { got, want };
}

describe('LSTM wasm kernels', () => {
  const variants = ['plain', 'relaxed'] as const;
  for (const variant of variants) {
    it(`${variant}: gemm = op(A)·B (+C) for tile remainders, transposed A, packed Bᵀ and K past one block`, () => {
      const w = lstmWasm(variant);
      expect(w.variant).toBe(variant);
      let cases = 0;
      for (const [M, N, K] of [
        [1, 1, 1],
        [5, 13, 7],
        [9, 8, 300],
        [4, 24, 3],
        [7, 3, 513],
      ] as const)
        for (const transA of [false, true])
          for (const acc of [false, true])
            for (const viaTranspose of [false, true]) {
              const { got, want } = gemm(w, M, N, K, transA, acc, viaTranspose);
              for (let i = 0; i < got.length; i++)
                expect(
                  Math.abs(got[i]! - want[i]!),
                  `${M}×${K}×${N} tA=${transA} acc=${acc} [${i}]`,
                ).toBeLessThan(1e-4 * Math.sqrt(K) + 1e-6);
              cases++;
            }
      expect(cases).toBe(40);
    });
  }

  it('gemm_rowb (B row-major, packed 256 rows at a time) = op(A)·B across several row blocks', () => {
    const w = lstmWasm();
    let cases = 0;
    for (const [M, N, K] of [
      [6, 12, 600],
      [4, 8, 256],
      [3, 5, 2],
    ] as const)
      for (const transA of [false, true]) {
        const [a, b, bs, c] = [
          w.alloc(M * K),
          w.alloc(K * N),
          w.alloc(256 * Math.ceil(N / 8) * 8),
          w.alloc(M * N),
        ];
        fill(w.f32(a, M * K), 5 + K);
        fill(w.f32(b, K * N), 6 + N);
        w.exports.gemm_rowb(M, N, K, a, transA ? M : K, transA ? 1 : 0, b, N, bs, c, N, 0);
        const got = w.f32(c, M * N).slice();
        const want = reference(M, N, K, w.f32(a, M * K), transA, w.f32(b, K * N), null);
        for (let i = 0; i < got.length; i++)
          expect(Math.abs(got[i]! - want[i]!), `${M}×${K}×${N} tA=${transA} [${i}]`).toBeLessThan(
            1e-4 * Math.sqrt(K),
          );
        for (const [o, n] of [
          [a, M * K],
          [b, K * N],
          [bs, 256 * Math.ceil(N / 8) * 8],
          [c, M * N],
        ] as const)
          w.free(o, n);
        cases++;
      }
    expect(cases).toBe(6);
  });

  it('the relaxed (fused multiply-add) and plain builds compute the same products to float rounding', () => {
    const [p, r] = [
      gemm(lstmWasm('plain'), 16, 64, 256, false, false, false),
      gemm(lstmWasm('relaxed'), 16, 64, 256, false, false, false),
    ];
    let maxDiff = 0;
    for (let i = 0; i < p.got.length; i++) maxDiff = Math.max(maxDiff, Math.abs(p.got[i]! - r.got[i]!));
    expect(maxDiff).toBeLessThan(1e-4);
    // not bit-identical: one rounding per multiply-add instead of two (else the rewrite did nothing)
    expect(maxDiff).toBeGreaterThan(0);
  });

  it('keeps values at their offsets when the memory grows, and reuses freed buffers', () => {
    const w = lstmWasm('plain');
    const small = w.alloc(100);
    fill(w.f32(small, 100), 7);
    const before = w.f32(small, 100).slice();
    const pagesBefore = w.exports.memory.buffer.byteLength;
    const big = w.alloc(4 * 1024 * 1024);
    expect(w.exports.memory.buffer.byteLength).toBeGreaterThan(pagesBefore);
    expect(w.f32(small, 100)).toEqual(before);
    w.free(big, 4 * 1024 * 1024);
    expect(w.alloc(4 * 1024 * 1024)).toBe(big);
    w.free(big, 4 * 1024 * 1024);
    w.free(small, 100);
  });
});
