import type * as tf from '@tensorflow/tfjs';
import { fusedLstmLayer } from '../lstm/fused-lstm';

export interface RecurrentLayerOptions {
  units: number;
  /** Always true for our models: every model streams one output per frame (RTNeural semantics). */
  returnSequences: boolean;
  name?: string;
  inputShape?: [number | null, number];
  /** Initialiser seed (kernel glorotUniform, recurrent orthogonal); omitted = random. */
  seed?: number;
}

/**
 * The single place that builds an LSTM layer for the four models. Contract: Keras/tfjs weight layout
 * (kernel [in][4U], recurrent [U][4U], bias [4U], gates i,f,c,o), `tanh` activation and logistic
 * `sigmoid` recurrent activation — exactly what RTNeural runs. Built on the fused LSTM
 * (libs/models/src/lstm): the stock `tf.layers.lstm` runs out of wasm memory on 5 s clips. To compare
 * with the stock layer, return `tf.layers.lstm({ ..., recurrentActivation: 'sigmoid' })` here.
 */
export function lstmLayer(options: RecurrentLayerOptions): tf.layers.Layer {
  return fusedLstmLayer({
    units: options.units,
    returnSequences: options.returnSequences,
    unitForgetBias: true,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    ...(options.name === undefined ? {} : { name: options.name }),
    ...(options.inputShape === undefined ? {} : { inputShape: options.inputShape }),
  });
}
