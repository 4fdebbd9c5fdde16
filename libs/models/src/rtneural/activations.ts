/**
 * RTNeural's activation functions, applied in place on a vector.
 * @see https://github.com/jatinchowdhury18/RTNeural/blob/main/RTNeural/activation/activation.h
 */
import type { RtneuralActivation } from './schema';

export type VectorOp = (v: Float64Array) => void;

const FLOAT32_MAX = 3.4028234663852886e38;

const identity: VectorOp = () => undefined;

/** In-place activation for a name RTNeural knows (`""` is identity). */
export function activationOp(name: RtneuralActivation): VectorOp {
  switch (name) {
    case '':
      return identity;
    case 'tanh':
      return (v) => {
        for (let i = 0; i < v.length; i++) v[i] = Math.tanh(v[i]!);
      };
    case 'relu':
      return (v) => {
        for (let i = 0; i < v.length; i++) v[i] = Math.max(v[i]!, 0);
      };
    case 'sigmoid':
      return (v) => {
        for (let i = 0; i < v.length; i++) v[i] = sigmoid(v[i]!);
      };
    case 'elu':
      // alpha = 1
      return (v) => {
        for (let i = 0; i < v.length; i++) {
          const x = v[i]!;
          v[i] = x > 0 ? x : Math.exp(x) - 1;
        }
      };
    case 'softmax':
      // Not max-shifted, as in RTNeural. exp beyond float32 range (x > ~88.7) is Infinity, so the output
      // is NaN exactly where the plugin's float RTNeural gives NaN; parity then flags it.
      return (v) => {
        let sum = 0;
        for (let i = 0; i < v.length; i++) {
          const raw = Math.exp(v[i]!);
          const e = raw > FLOAT32_MAX ? Number.POSITIVE_INFINITY : raw;
          v[i] = e;
          sum += e;
        }
        for (let i = 0; i < v.length; i++) v[i] = v[i]! / sum;
      };
  }
}

/** Logistic sigmoid 1/(1+e^-x) (RTNeural has no hard sigmoid). */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
