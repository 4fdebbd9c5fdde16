import * as tf from '@tensorflow/tfjs';
import { LstmScratch } from './lstm-scratch';
import { readFloats } from './read-floats';
import { lstmBackwardStep, lstmForwardStepFromSigmoid, shiftedStates, type LstmDims } from './lstm-kernels';

/**
 * `a` ([rows, k], plain floats) · `m` ([k, n] tensor) → `into` ([rows, n] plain floats), through the backend's
 * matMul (wasm: SIMD GEMM, ~30× a plain-JS loop for 16×256×1024). Disposes what it allocates.
 */
function matMulRows(a: Float32Array, rows: number, m: tf.Tensor2D, into: Float32Array): Float32Array {
  const k = m.shape[0];
  const at = tf.tensor2d(a, [rows, k]);
  const out = tf.matMul(at, m);
  readFloats(out, (v) => into.set(v));
  at.dispose();
  out.dispose();
  return into;
}

/**
 * aᵀ·b for a [rows, k] given bᵀ [n, rows], as (bᵀ·a)ᵀ: on wasm the [n, rows]·[rows, k] product with
 * k = 256 runs at ~39 GFLOP/s where [k, rows]·[rows, n] reaches ~24 (long-K GEMM with a wide B), and
 * the final transpose is only [n, k]. Measured for rows = 5008, k = 256, n = 1024: 155 ms for dW and dU
 * together vs 233 ms transposing a and b's partner first.
 */
function matMulTAviaT(a: tf.Tensor2D, bT: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.transpose(tf.matMul<tf.Tensor2D>(bT, a)));
}

/** a·bᵀ with an explicit transpose first: wasm's transposed-operand matMul is 10-40× slower than plain. */
function matMulTB(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.matMul(a, tf.transpose(b)));
}

/**
 * The fused LSTM as one differentiable op. x [B, T, D], kernel W [D, 4H], recurrent kernel U [H, 4H],
 * bias b [4H] (gate order i, f, c, o) → [B, T, H] (returnSequences) or [B, H] (last step). Initial state
 * zero. Forward: one matMul for x·W + b over all B*T rows, then per step one matMul h·U, an add and
 * one backend sigmoid over all four gate blocks (wasm's vectorised sigmoid: ~5 % less CPU per training
 * step at 313 frames than five Math.exp per unit in JS), and the cell arithmetic on Float32Arrays. Backward (BPTT by hand): per step one matMul dz·Uᵀ, then dX = dZ·Wᵀ,
 * dW = (dZᵀ·X)ᵀ, dU = (dZᵀ·H₋₁)ᵀ, db = Σ dZ as single matMuls. Kept for backprop: activated gates [B*T, 4H],
 * cell states, their tanh and outputs [B*T, H] as Float32Arrays; nothing per step as tensors.
 */
export function fusedLstm(
  x: tf.Tensor3D,
  kernel: tf.Tensor2D,
  recurrentKernel: tf.Tensor2D,
  bias: tf.Tensor1D,
  returnSequences: boolean,
  scratch: LstmScratch = new LstmScratch(),
): tf.Tensor {
  const op = tf.customGrad((...args: unknown[]) => {
    const [xIn, wIn, uIn, bIn, save] = args as [
      tf.Tensor3D,
      tf.Tensor2D,
      tf.Tensor2D,
      tf.Tensor1D,
      tf.GradSaveFunc,
    ];
    const [batch, steps, inDim] = xIn.shape;
    const units = uIn.shape[0];
    const G = 4 * units;
    if (wIn.shape[0] !== inDim || wIn.shape[1] !== G || uIn.shape[1] !== G || bIn.shape[0] !== G) {
      throw new Error(
        `fusedLstm: shapes do not match: x [${xIn.shape.join(', ')}], kernel [${wIn.shape.join(', ')}], ` +
          `recurrent kernel [${uIn.shape.join(', ')}], bias [${bIn.shape.join(', ')}]`,
      );
    }
    const d: LstmDims = { batch, steps, units };
    const rows = batch * steps;
    const buf = scratch.begin();
    // every element of these is written by the forward steps before it is read
    const gates = buf.scratch('gates', rows * G);
    const cells = buf.scratch('cells', rows * units);
    const tanhCells = buf.scratch('tanhCells', rows * units);
    const hs = buf.scratch('hs', rows * units);
    const hCur = buf.scratch('hCur', batch * units);
    // scale the c-block by 2 so one backend sigmoid gives all four gates: tanh(z) = 2σ(2z) − 1
    const scale = new Float32Array(G).fill(1).fill(2, 2 * units, 3 * units);
    const sc = tf.tensor1d(scale);
    const xpT = tf.tidy(() => tf.mul(tf.add(tf.matMul(tf.reshape(xIn, [rows, inDim]), wIn), bIn), sc));
    const u2 = tf.mul<tf.Tensor2D>(uIn, sc);
    sc.dispose();
    const xp = buf.scratch('xp', rows * G);
    readFloats(xpT, (v) => xp.set(v));
    xpT.dispose();
    const xpStep = buf.scratch('xpStep', batch * G);
    for (let t = 0; t < steps; t++) {
      for (let b = 0; b < batch; b++)
        xpStep.set(xp.subarray((b * steps + t) * G, (b * steps + t + 1) * G), b * G);
      const sT = tf.tidy(() => {
        const xt = tf.tensor2d(xpStep, [batch, G]);
        return tf.sigmoid(t > 0 ? tf.add(tf.matMul(tf.tensor2d(hCur, [batch, units]), u2), xt) : xt);
      });
      readFloats(sT, (s) => lstmForwardStepFromSigmoid(t, d, s, gates, cells, tanhCells, hs, hCur));
      sT.dispose();
    }
    u2.dispose();

    save([xIn, wIn, uIn]);
    // wasm copies a new tensor's values into its heap; other backends may keep the array, which is reused
    const value = returnSequences
      ? tf.tensor3d(tf.getBackend() === 'wasm' ? hs : hs.slice(), [batch, steps, units])
      : tf.tensor2d(hCur.slice(), [batch, units]);

    const gradFunc = (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] => {
      const [xs, ws, us] = saved as [tf.Tensor3D, tf.Tensor2D, tf.Tensor2D];
      const dOut = buf.scratch('dOut', dy.size);
      readFloats(dy, (v) => dOut.set(v));
      const uT = tf.transpose(us);
      const dz = buf.scratch('dz', rows * G); // every row is written by the backward steps
      const dzStep = buf.scratch('dzStep', batch * G);
      const dcRec = buf.zeros('dcRec', batch * units);
      const dhBuf = buf.scratch('dhBuf', batch * units);
      let dhRec: Float32Array | null = null;
      for (let t = steps - 1; t >= 0; t--) {
        lstmBackwardStep(t, d, returnSequences, dOut, dhRec, dcRec, gates, cells, tanhCells, dz, dzStep);
        if (t > 0) dhRec = matMulRows(dzStep, batch, uT, dhBuf);
      }
      uT.dispose();
      const grads = tf.tidy(() => {
        const dZ = tf.tensor2d(dz, [rows, G]);
        const dZT = tf.transpose(dZ);
        const x2 = tf.reshape<tf.Rank.R2>(xs, [rows, inDim]);
        const hPrev = tf.tensor2d(shiftedStates(hs, d, buf.scratch('hPrev', rows * units)), [rows, units]);
        return [
          tf.reshape(matMulTB(dZ, ws), [batch, steps, inDim]),
          matMulTAviaT(x2, dZT),
          matMulTAviaT(hPrev, dZT),
          tf.sum(dZ, 0),
        ];
      });
      // the tensors made from the buffers above were disposed by tidy: the next step may reuse them
      buf.release();
      return grads;
    };
    return { value, gradFunc };
  });
  return op(x, kernel, recurrentKernel, bias);
}
