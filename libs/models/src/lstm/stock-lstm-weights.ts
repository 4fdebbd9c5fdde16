import * as tf from '@tensorflow/tfjs';
import type { FusedLSTM } from './fused-lstm';

/**
 * Copies the weights of a built stock `tf.layers.lstm` into a built {@link FusedLSTM} (same layout:
 * kernel [in, 4H], recurrent kernel [H, 4H], bias [4H], gates i, f, c, o). Throws when the stock layer
 * would compute something else: a recurrent activation other than 'sigmoid' (tfjs defaults to
 * hardSigmoid), an activation other than 'tanh', no bias, or different shapes.
 */
export function loadStockLstmWeights(fused: FusedLSTM, stock: tf.layers.Layer): void {
  const config = stock.getConfig();
  const name = `loadStockLstmWeights(${stock.name} → ${fused.name})`;
  if (stock.getClassName() !== 'LSTM')
    throw new Error(`${name}: source is a ${stock.getClassName()}, not an LSTM`);
  if (config.recurrentActivation !== 'sigmoid') {
    throw new Error(
      `${name}: recurrentActivation is ${JSON.stringify(config.recurrentActivation)}, need 'sigmoid'`,
    );
  }
  if (config.activation !== 'tanh')
    throw new Error(`${name}: activation is ${JSON.stringify(config.activation)}, need 'tanh'`);
  if (config.useBias === false) throw new Error(`${name}: the stock layer has no bias`);
  const weights = stock.getWeights();
  const target = fused.getWeights();
  if (weights.length !== 3 || target.length !== 3) {
    throw new Error(
      `${name}: expected 3 weights on each side (build both layers first), got ${weights.length} and ${target.length}`,
    );
  }
  weights.forEach((w, i) => {
    const t = target[i]!;
    if (!tf.util.arraysEqual(w.shape, t.shape)) {
      throw new Error(`${name}: weight ${i} shape [${w.shape.join(', ')}] ≠ [${t.shape.join(', ')}]`);
    }
  });
  fused.setWeights(weights);
}
