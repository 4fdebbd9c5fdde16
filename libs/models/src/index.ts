// RTNeural: format schema, strict validator, streaming inference (see README "RTNeural").
export * from './rtneural/schema';
export { validateRtneuralModel, assertRtneuralModel, formatJsonPath, RtneuralModelError } from './rtneural/validate';
export type { RtneuralValidation, RtneuralValidationError } from './rtneural/validate';
export { loadRtneuralModel } from './rtneural/inference';
export type { RtneuralStreamModel } from './rtneural/inference';
