/*
 * FusedLSTM's training kernels, compiled to WebAssembly (SIMD128) by `npm run build:lstm-wasm`
 * (tools/scripts/build-lstm-wasm.ts) into lstm-wasm-binary.ts.
 * No libc: every pointer is an offset into the module's own memory, laid out by lstm-wasm.ts.
 *
 * Layout (row-major): B batch rows, T steps, D inputs, H units, G = 4H gate columns [i | f | c | o] as
 * Keras/tfjs. Sequence buffers are indexed by row r = b*T + t.
 *
 * GEMM: C[M,N] (+)= op(A)[M,K] · B[K,N] with B packed in panels of 8 columns (zero-padded), blocked
 * KC × MC so that a B panel chunk stays in L1 and an A block in L2; 4×8 register tile, one multiply-add
 * per lane: MADD is f32x4.relaxed_madd in the relaxed build (fused on FMA hardware) and mul + add otherwise.
 */
#include <wasm_simd128.h>

typedef float f32;

#ifdef RELAXED
/* clang 14 spells relaxed SIMD's multiply-add as the older f32x4.fma; the build rewrites its opcode to
   relaxed_madd (a * b + c), whose operands are in this order. */
#define MADD(a, b, c) __builtin_wasm_fma_f32x4((a), (b), (c))
#else
#define MADD(a, b, c) wasm_f32x4_add(wasm_f32x4_mul((a), (b)), (c))
#endif

#define KC 256
#define MC 512

/* B [K, N] (row stride ldb) → Bp: for each panel of 8 columns, K rows of 8 (zero past N). */
void pack_b(int K, int N, const f32* B, int ldb, f32* Bp) {
  for (int p = 0; p < N; p += 8) {
    int w = N - p < 8 ? N - p : 8;
    const f32* src = B + p;
    if (w == 8) {
      for (int k = 0; k < K; k++, src += ldb, Bp += 8) {
        wasm_v128_store(Bp, wasm_v128_load(src));
        wasm_v128_store(Bp + 4, wasm_v128_load(src + 4));
      }
    } else {
      for (int k = 0; k < K; k++, src += ldb, Bp += 8)
        for (int j = 0; j < 8; j++) Bp[j] = j < w ? src[j] : 0.0f;
    }
  }
}

/* Bᵀ given as S [N, K] (row stride lds), i.e. B[k][j] = S[j*lds + k] → Bp as pack_b. */
void pack_bt(int K, int N, const f32* S, int lds, f32* Bp) {
  for (int p = 0; p < N; p += 8) {
    int w = N - p < 8 ? N - p : 8;
    for (int k = 0; k < K; k++, Bp += 8)
      for (int j = 0; j < 8; j++) Bp[j] = j < w ? S[(long)(p + j) * lds + k] : 0.0f;
  }
}

static inline void store_tile(f32* c, int ldc, int rows, int w, int acc, v128_t* v) {
  for (int r = 0; r < rows; r++, c += ldc) {
    v128_t lo = v[2 * r], hi = v[2 * r + 1];
    if (w == 8) {
      if (acc) {
        lo = wasm_f32x4_add(lo, wasm_v128_load(c));
        hi = wasm_f32x4_add(hi, wasm_v128_load(c + 4));
      }
      wasm_v128_store(c, lo);
      wasm_v128_store(c + 4, hi);
    } else {
      f32 t[8];
      wasm_v128_store(t, lo);
      wasm_v128_store(t + 4, hi);
      for (int j = 0; j < w; j++) c[j] = acc ? c[j] + t[j] : t[j];
    }
  }
}

/* One KC-deep slice: rows [i0, i1) of C, all columns, k in [k0, k0 + kc). */
static void gemm_block(int i0, int i1, int N, int K, int k0, int kc, const f32* A, int lda, int transA,
                       const f32* Bp, f32* C, int ldc, int acc) {
  v128_t v[8];
  for (int p = 0; p < N; p += 8) {
    const f32* bp = Bp + (long)p * K + (long)k0 * 8;
    int w = N - p < 8 ? N - p : 8;
    int i = i0;
    for (; i + 4 <= i1; i += 4) {
      v128_t c00 = wasm_f32x4_splat(0.0f), c01 = c00, c10 = c00, c11 = c00;
      v128_t c20 = c00, c21 = c00, c30 = c00, c31 = c00;
      const f32* b = bp;
      if (transA) {
        const f32* a = A + (long)k0 * lda + i;
        for (int k = 0; k < kc; k++, a += lda, b += 8) {
          v128_t b0 = wasm_v128_load(b), b1 = wasm_v128_load(b + 4);
          v128_t av = wasm_v128_load(a);
          v128_t x = wasm_i32x4_shuffle(av, av, 0, 0, 0, 0);
          c00 = MADD(x, b0, c00);
          c01 = MADD(x, b1, c01);
          x = wasm_i32x4_shuffle(av, av, 1, 1, 1, 1);
          c10 = MADD(x, b0, c10);
          c11 = MADD(x, b1, c11);
          x = wasm_i32x4_shuffle(av, av, 2, 2, 2, 2);
          c20 = MADD(x, b0, c20);
          c21 = MADD(x, b1, c21);
          x = wasm_i32x4_shuffle(av, av, 3, 3, 3, 3);
          c30 = MADD(x, b0, c30);
          c31 = MADD(x, b1, c31);
        }
      } else {
        const f32* a0 = A + (long)i * lda + k0;
        const f32* a1 = a0 + lda;
        const f32* a2 = a1 + lda;
        const f32* a3 = a2 + lda;
        for (int k = 0; k < kc; k++, b += 8) {
          v128_t b0 = wasm_v128_load(b), b1 = wasm_v128_load(b + 4);
          v128_t x = wasm_v128_load32_splat(a0 + k);
          c00 = MADD(x, b0, c00);
          c01 = MADD(x, b1, c01);
          x = wasm_v128_load32_splat(a1 + k);
          c10 = MADD(x, b0, c10);
          c11 = MADD(x, b1, c11);
          x = wasm_v128_load32_splat(a2 + k);
          c20 = MADD(x, b0, c20);
          c21 = MADD(x, b1, c21);
          x = wasm_v128_load32_splat(a3 + k);
          c30 = MADD(x, b0, c30);
          c31 = MADD(x, b1, c31);
        }
      }
      v[0] = c00; v[1] = c01; v[2] = c10; v[3] = c11; v[4] = c20; v[5] = c21; v[6] = c30; v[7] = c31;
      store_tile(C + (long)i * ldc + p, ldc, 4, w, acc, v);
    }
    for (; i < i1; i++) {
      v128_t c00 = wasm_f32x4_splat(0.0f), c01 = c00;
      const f32* b = bp;
      for (int k = 0; k < kc; k++, b += 8) {
        f32 av = transA ? A[(long)(k0 + k) * lda + i] : A[(long)i * lda + k0 + k];
        v128_t x = wasm_f32x4_splat(av);
        c00 = MADD(x, wasm_v128_load(b), c00);
        c01 = MADD(x, wasm_v128_load(b + 4), c01);
      }
      v[0] = c00; v[1] = c01;
      store_tile(C + (long)i * ldc + p, ldc, 1, w, acc, v);
    }
  }
}

/* C[M, N] (row stride ldc) = (acc ? C : 0) + op(A) · B, B packed by pack_b/pack_bt. op(A) = A [M, K]
   (row stride lda), or with transA the transpose of A stored [K, M] (row stride lda). */
void gemm(int M, int N, int K, const f32* A, int lda, int transA, const f32* Bp, f32* C, int ldc, int acc) {
  if (K == 0) {
    if (!acc)
      for (int i = 0; i < M; i++)
        for (int j = 0; j < N; j++) C[(long)i * ldc + j] = 0.0f;
    return;
  }
  for (int k0 = 0; k0 < K; k0 += KC) {
    int kc = K - k0 < KC ? K - k0 : KC;
    for (int i0 = 0; i0 < M; i0 += MC) {
      int i1 = M - i0 < MC ? M : i0 + MC;
      gemm_block(i0, i1, N, K, k0, kc, A, lda, transA, Bp, C, ldc, acc || k0 > 0);
    }
  }
}

/* As gemm with B [K, N] row-major (row stride ldb), packed KC rows at a time into Bs (KC × ceil8(N) floats)
   just before use: for a B made once and used once (the gradients dZ), cheaper than packing all of it apart. */
void gemm_rowb(int M, int N, int K, const f32* A, int lda, int transA, const f32* B, int ldb, f32* Bs, f32* C,
               int ldc, int acc) {
  if (K == 0) {
    gemm(M, N, 0, A, lda, transA, Bs, C, ldc, acc);
    return;
  }
  for (int k0 = 0; k0 < K; k0 += KC) {
    int kc = K - k0 < KC ? K - k0 : KC;
    pack_b(kc, N, B + (long)k0 * ldb, ldb, Bs);
    const f32* Ak = transA ? A + (long)k0 * lda : A + k0;
    for (int i0 = 0; i0 < M; i0 += MC) {
      int i1 = M - i0 < MC ? M : i0 + MC;
      gemm_block(i0, i1, N, kc, 0, kc, Ak, lda, transA, Bs, C, ldc, acc || k0 > 0);
    }
  }
}

/* ---- gate arithmetic ---- */

static inline v128_t v_exp(v128_t x) {
  /* Cephes expf: e^x = 2^n · e^r, |r| ≤ ln2/2, degree-6 polynomial; relative error ~1e-7. n = round(x·log2 e)
     by adding 1.5·2^23 (its low mantissa bits are then n as an integer), cheaper than nearest + trunc_sat. */
  const v128_t magic = wasm_f32x4_splat(12582912.0f);
  x = wasm_f32x4_min(wasm_f32x4_max(x, wasm_f32x4_splat(-87.3f)), wasm_f32x4_splat(88.3f));
  v128_t t = wasm_f32x4_add(wasm_f32x4_mul(x, wasm_f32x4_splat(1.44269504088896341f)), magic);
  v128_t n = wasm_f32x4_sub(t, magic);
  v128_t r = wasm_f32x4_sub(x, wasm_f32x4_mul(n, wasm_f32x4_splat(0.693359375f)));
  r = wasm_f32x4_sub(r, wasm_f32x4_mul(n, wasm_f32x4_splat(-2.12194440e-4f)));
  v128_t p = wasm_f32x4_splat(1.9875691500e-4f);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.3981999507e-3f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(8.3334519073e-3f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(4.1665795894e-2f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.6666665459e-1f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(5.0000001201e-1f));
  p = wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_mul(p, r), r), wasm_f32x4_add(r, wasm_f32x4_splat(1.0f)));
  /* 2^n: (n + 127) << 23, with n read from t's low bits (t − magic as integers) */
  v128_t e = wasm_i32x4_shl(wasm_i32x4_add(wasm_i32x4_sub(t, magic), wasm_i32x4_splat(127)), 23);
  return wasm_f32x4_mul(p, e);
}

static inline v128_t v_sigmoid(v128_t x) {
  v128_t one = wasm_f32x4_splat(1.0f);
  return wasm_f32x4_div(one, wasm_f32x4_add(one, v_exp(wasm_f32x4_neg(x))));
}

/* tanh(x) = 1 − 2 / (e^{2x} + 1): ±1 at overflow, error ~1e-7 */
static inline v128_t v_tanh(v128_t x) {
  v128_t one = wasm_f32x4_splat(1.0f);
  v128_t e = v_exp(wasm_f32x4_add(x, x));
  return wasm_f32x4_sub(one, wasm_f32x4_div(wasm_f32x4_splat(2.0f), wasm_f32x4_add(e, one)));
}

/* Loads/stores of n ≤ 4 floats (the last, partial vector of a row when H % 4 ≠ 0). */
static inline v128_t ld(const f32* p, int n) {
  if (n == 4) return wasm_v128_load(p);
  f32 t[4] = {0, 0, 0, 0};
  for (int j = 0; j < n; j++) t[j] = p[j];
  return wasm_v128_load(t);
}
static inline void st(f32* p, v128_t v, int n) {
  if (n == 4) {
    wasm_v128_store(p, v);
    return;
  }
  f32 t[4];
  wasm_v128_store(t, v);
  for (int j = 0; j < n; j++) p[j] = t[j];
}

/* Step t of every row: z (in xg) → activated gates (in xg), cell state, its tanh and the output. */
static void cell_forward(int B, int T, int H, int t, f32* xg, f32* cells, f32* tanhc, f32* hs) {
  int G = 4 * H;
  for (int b = 0; b < B; b++) {
    long r = (long)b * T + t;
    f32* z = xg + r * G;
    f32* c = cells + r * H;
    const f32* cp = c - H;
    f32* tc = tanhc + r * H;
    f32* h = hs + r * H;
    for (int j = 0; j < H; j += 4) {
      int n = H - j < 4 ? H - j : 4;
      v128_t i = v_sigmoid(ld(z + j, n));
      v128_t f = v_sigmoid(ld(z + H + j, n));
      v128_t g = v_tanh(ld(z + 2 * H + j, n));
      v128_t o = v_sigmoid(ld(z + 3 * H + j, n));
      v128_t cv = wasm_f32x4_mul(i, g);
      if (t > 0) cv = wasm_f32x4_add(cv, wasm_f32x4_mul(f, ld(cp + j, n)));
      v128_t tcv = v_tanh(cv);
      st(z + j, i, n);
      st(z + H + j, f, n);
      st(z + 2 * H + j, g, n);
      st(z + 3 * H + j, o, n);
      st(c + j, cv, n);
      st(tc + j, tcv, n);
      st(h + j, wasm_f32x4_mul(o, tcv), n);
    }
  }
}

/*
 * Forward pass. x [B*T, D], W [D, G], U [H, G], bias [G]. Writes xg [B*T, G] (activated gates), cells,
 * tanhc, hs [B*T, H]. Scratch: Wp, Up (packed, ceil8(G) × D and × H floats).
 */
void lstm_forward(int B, int T, int D, int H, const f32* x, const f32* W, const f32* U, const f32* bias,
                  f32* Wp, f32* Up, f32* xg, f32* cells, f32* tanhc, f32* hs) {
  int G = 4 * H;
  long rows = (long)B * T;
  for (long r = 0; r < rows; r++)
    for (int j = 0; j < G; j++) xg[r * G + j] = bias[j];
  pack_b(D, G, W, G, Wp);
  gemm((int)rows, G, D, x, D, 0, Wp, xg, G, 1);
  pack_b(H, G, U, G, Up);
  for (int t = 0; t < T; t++) {
    if (t > 0) gemm(B, G, H, hs + (long)(t - 1) * H, T * H, 0, Up, xg + (long)t * G, T * G, 1);
    cell_forward(B, T, H, t, xg, cells, tanhc, hs);
  }
}

/* Backward step t: dz (rows at t) and the cell-state gradient carried to t − 1. */
static void cell_backward(int B, int T, int H, int t, int returnSeq, const f32* dOut, const f32* dhRec,
                          f32* dcRec, const f32* xg, const f32* cells, const f32* tanhc, f32* dz, f32* db) {
  int G = 4 * H;
  int useOut = returnSeq || t == T - 1;
  v128_t one = wasm_f32x4_splat(1.0f);
  for (int b = 0; b < B; b++) {
    long r = (long)b * T + t;
    const f32* gt = xg + r * G;
    const f32* cp = cells + (r - 1) * H;
    const f32* tc = tanhc + r * H;
    const f32* dO = dOut + (returnSeq ? r * H : (long)b * H);
    const f32* dR = dhRec + (long)b * H;
    f32* dc = dcRec + (long)b * H;
    f32* d = dz + r * G;
    for (int j = 0; j < H; j += 4) {
      int n = H - j < 4 ? H - j : 4;
      v128_t dh = useOut ? ld(dO + j, n) : wasm_f32x4_splat(0.0f);
      if (t < T - 1) dh = wasm_f32x4_add(dh, ld(dR + j, n));
      v128_t i = ld(gt + j, n), f = ld(gt + H + j, n), g = ld(gt + 2 * H + j, n), o = ld(gt + 3 * H + j, n);
      v128_t cPrev = t > 0 ? ld(cp + j, n) : wasm_f32x4_splat(0.0f);
      v128_t tcv = ld(tc + j, n);
      v128_t dcv = wasm_f32x4_add(ld(dc + j, n),
                                  wasm_f32x4_mul(wasm_f32x4_mul(dh, o), wasm_f32x4_sub(one, wasm_f32x4_mul(tcv, tcv))));
      v128_t dgate[4] = {
          wasm_f32x4_mul(wasm_f32x4_mul(dcv, g), wasm_f32x4_mul(i, wasm_f32x4_sub(one, i))),
          wasm_f32x4_mul(wasm_f32x4_mul(dcv, cPrev), wasm_f32x4_mul(f, wasm_f32x4_sub(one, f))),
          wasm_f32x4_mul(wasm_f32x4_mul(dcv, i), wasm_f32x4_sub(one, wasm_f32x4_mul(g, g))),
          wasm_f32x4_mul(wasm_f32x4_mul(dh, tcv), wasm_f32x4_mul(o, wasm_f32x4_sub(one, o)))};
      for (int q = 0; q < 4; q++) {
        int col = q * H + j;
        st(d + col, dgate[q], n);
        st(db + col, wasm_f32x4_add(ld(db + col, n), dgate[q]), n);
      }
      st(dc + j, wasm_f32x4_mul(dcv, f), n);
    }
  }
}

/*
 * Backward pass (BPTT) from dOut ([B*T, H] with returnSeq, else [B, H] at the last step) and the forward
 * pass's xg, cells, tanhc, hs. Writes dx [B*T, D] (when needDx), dW [D, G], dU [H, G], db [G].
 * Scratch: dz [B*T, G], dzp (KC rows of dz packed), UTp, WTp (packed transposes), dhRec, dcRec ([B, H]),
 * hprev [B*T, H].
 */
void lstm_backward(int B, int T, int D, int H, int returnSeq, int needDx, const f32* x, const f32* W,
                   const f32* U, const f32* dOut, const f32* xg, const f32* cells, const f32* tanhc,
                   const f32* hs, f32* dz, f32* dzp, f32* UTp, f32* WTp, f32* dhRec, f32* dcRec,
                   f32* hprev, f32* dx, f32* dW, f32* dU, f32* db) {
  int G = 4 * H;
  long rows = (long)B * T;
  pack_bt(G, H, U, G, UTp);
  for (long j = 0; j < (long)B * H; j++) dcRec[j] = 0.0f;
  for (int j = 0; j < G; j++) db[j] = 0.0f;
  for (int t = T - 1; t >= 0; t--) {
    cell_backward(B, T, H, t, returnSeq, dOut, dhRec, dcRec, xg, cells, tanhc, dz, db);
    if (t > 0) gemm(B, H, G, dz + (long)t * G, T * G, 0, UTp, dhRec, H, 0);
  }
  if (needDx) {
    pack_bt(G, D, W, G, WTp);
    gemm((int)rows, D, G, dz, G, 0, WTp, dx, D, 0);
  }
  gemm_rowb(D, G, (int)rows, x, D, 1, dz, G, dzp, dW, G, 0);
  for (int b = 0; b < B; b++) {
    f32* dst = hprev + (long)b * T * H;
    const f32* src = hs + (long)b * T * H;
    for (int j = 0; j < H; j++) dst[j] = 0.0f;
    for (long j = 0; j < (long)(T - 1) * H; j++) dst[H + j] = src[j];
  }
  gemm_rowb(H, G, (int)rows, hprev, H, 1, dz, G, dzp, dU, G, 0);
}
