// RTNeural: format schema, strict validator, streaming inference (see README "RTNeural").
export * from './rtneural/schema';
export { validateRtneuralModel, assertRtneuralModel, formatJsonPath, RtneuralModelError } from './rtneural/validate';
export type { RtneuralValidation, RtneuralValidationError } from './rtneural/validate';
export { loadRtneuralModel } from './rtneural/inference';
export type { RtneuralStreamModel } from './rtneural/inference';
// Fused LSTM + fast per-frame dense (see README "FusedLSTM").
export { FusedLSTM, fusedLstmLayer } from './lstm/fused-lstm';
export type { FusedLstmArgs } from './lstm/fused-lstm';
export { fusedLstm } from './lstm/fused-lstm-op';
export { TimeDense, timeDense, denseRows } from './lstm/time-dense';
export type { TimeDenseArgs, TimeDenseActivation } from './lstm/time-dense';
export { loadStockLstmWeights } from './lstm/stock-lstm-weights';
