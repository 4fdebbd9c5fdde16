import * as tf from '@tensorflow/tfjs';
import { LstmScratch } from './lstm-scratch';
import { lstmWasm } from './lstm-wasm';
import { readFloats } from './read-floats';

/** lstm.c's KC: the rows of dZ packed at a time for the weight-gradient GEMMs. */
const GEMM_KC = 256;

/** Packed-panel size of a [k, n] right operand (columns padded to a multiple of 8). */
const packed = (k: number, n: number) => k * Math.ceil(n / 8) * 8;

/**
 * A tensor from a view of the kernels' memory: the wasm backend copies the values into its own heap; other
 * backends may keep the array, so they get a copy.
 */
function tensorFrom(view: Float32Array, shape: number[]): tf.Tensor {
  return tf.tensor(tf.getBackend() === 'wasm' ? view : view.slice(), shape, 'float32');
}

/**
 * The fused LSTM as one differentiable op. x [B, T, D], kernel W [D, 4H], recurrent kernel U [H, 4H],
 * bias b [4H] (gate order i, f, c, o) → [B, T, H] (returnSequences) or [B, H] (last step). Initial state zero.
 * Forward and backward (BPTT) run in our own WebAssembly kernels (wasm/lstm.c, one call each): x·W + b for all
 * B·T rows as one GEMM, then per step the recurrent h·U GEMM accumulated onto it and the gate arithmetic
 * (sigmoid, tanh, cell update) on the same rows; backward per step the gate gradients and dz·Uᵀ, then
 * dX = dZ·Wᵀ, dW = Xᵀ·dZ, dU = H₋₁ᵀ·dZ, db = Σ dZ over all rows at once. The input, gates, cell states and
 * outputs stay in the kernels' memory from the forward pass to the backward pass; tensors are made only for the
 * op's output and its gradients. Works on every tfjs backend (values cross as Float32Arrays).
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
    const [xIn, wIn, uIn, bIn] = args as [tf.Tensor3D, tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
    const [batch, steps, inDim] = xIn.shape;
    const units = uIn.shape[0];
    const G = 4 * units;
    if (wIn.shape[0] !== inDim || wIn.shape[1] !== G || uIn.shape[1] !== G || bIn.shape[0] !== G) {
      throw new Error(
        `fusedLstm: shapes do not match: x [${xIn.shape.join(', ')}], kernel [${wIn.shape.join(', ')}], ` +
          `recurrent kernel [${uIn.shape.join(', ')}], bias [${bIn.shape.join(', ')}]`,
      );
    }
    const rows = batch * steps;
    const wasm = lstmWasm();
    const k = wasm.exports;
    const pass = scratch.begin(wasm);
    // kept for the backward pass
    const xOff = pass.region('x', rows * inDim);
    const wOff = pass.region('kernel', inDim * G);
    const uOff = pass.region('recurrentKernel', units * G);
    const gates = pass.region('gates', rows * G);
    const cells = pass.region('cells', rows * units);
    const tanhCells = pass.region('tanhCells', rows * units);
    const hs = pass.region('hs', rows * units);
    // this call only
    const bOff = wasm.scratch('bias', G);
    const wPacked = wasm.scratch('kernelPacked', packed(inDim, G));
    const uPacked = wasm.scratch('recurrentPacked', packed(units, G));
    readFloats(xIn, (v) => wasm.f32(xOff, rows * inDim).set(v));
    readFloats(wIn, (v) => wasm.f32(wOff, inDim * G).set(v));
    readFloats(uIn, (v) => wasm.f32(uOff, units * G).set(v));
    readFloats(bIn, (v) => wasm.f32(bOff, G).set(v));
    k.lstm_forward(
      batch,
      steps,
      inDim,
      units,
      xOff,
      wOff,
      uOff,
      bOff,
      wPacked,
      uPacked,
      gates,
      cells,
      tanhCells,
      hs,
    );

    let value: tf.Tensor;
    if (returnSequences) value = tensorFrom(wasm.f32(hs, rows * units), [batch, steps, units]);
    else {
      const last = new Float32Array(batch * units);
      const all = wasm.f32(hs, rows * units);
      for (let b = 0; b < batch; b++)
        last.set(all.subarray((b * steps + steps - 1) * units, (b * steps + steps) * units), b * units);
      value = tf.tensor2d(last, [batch, units]);
    }
    if (!pass.recording) pass.release();

    const gradFunc = (dy: tf.Tensor): tf.Tensor[] => {
      const dOut = wasm.scratch('dOut', dy.size);
      const dz = wasm.scratch('dz', rows * G);
      const dzPacked = wasm.scratch('dzPacked', packed(Math.min(rows, GEMM_KC), G));
      const uTPacked = wasm.scratch('recurrentTPacked', packed(G, units));
      const wTPacked = wasm.scratch('kernelTPacked', packed(G, inDim));
      const dhRec = wasm.scratch('dhRec', batch * units);
      const dcRec = wasm.scratch('dcRec', batch * units);
      const hPrev = wasm.scratch('hPrev', rows * units);
      const dx = wasm.scratch('dx', rows * inDim);
      const dW = wasm.scratch('dW', inDim * G);
      const dU = wasm.scratch('dU', units * G);
      const db = wasm.scratch('db', G);
      readFloats(dy, (v) => wasm.f32(dOut, dy.size).set(v));
      k.lstm_backward(
        batch,
        steps,
        inDim,
        units,
        returnSequences ? 1 : 0,
        1,
        xOff,
        wOff,
        uOff,
        dOut,
        gates,
        cells,
        tanhCells,
        hs,
        dz,
        dzPacked,
        uTPacked,
        wTPacked,
        dhRec,
        dcRec,
        hPrev,
        dx,
        dW,
        dU,
        db,
      );
      const grads = [
        tensorFrom(wasm.f32(dx, rows * inDim), [batch, steps, inDim]),
        tensorFrom(wasm.f32(dW, inDim * G), [inDim, G]),
        tensorFrom(wasm.f32(dU, units * G), [units, G]),
        tensorFrom(wasm.f32(db, G), [G]),
      ];
      pass.release();
      return grads;
    };
    return { value, gradFunc };
  });
  return op(x, kernel, recurrentKernel, bias);
}
