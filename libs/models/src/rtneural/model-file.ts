/** RTNeural model files: JSON text → validated model, with errors naming the file. */
import { readFileSync } from 'node:fs';
import type { RtneuralModel } from './schema';
import { RtneuralModelError, validateRtneuralModel, type RtneuralValidation } from './validate';

/**
 * Parses and strictly validates RTNeural JSON text. Invalid JSON (e.g. the bare `NaN`/`Infinity` that
 * Python's json.dumps writes) is reported at path `$` instead of throwing.
 */
export function validateRtneuralText(text: string): RtneuralValidation {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    const bare = /(?<![\w"])(-?Infinity|NaN)(?![\w"])/.exec(text);
    const hint = bare
      ? ` (bare ${bare[1]} at character ${bare.index}: Python's json.dumps writes it, JSON has no such value)`
      : '';
    return {
      ok: false,
      errors: [{ path: '$', message: `not valid JSON: ${(err as Error).message}${hint}` }],
    };
  }
  return validateRtneuralModel(json);
}

/** Reads and validates an RTNeural model file. @throws RtneuralModelError naming `file` */
export function readRtneuralModelFile(file: string): RtneuralModel {
  const result = validateRtneuralText(readFileSync(file, 'utf8'));
  if (!result.ok || !result.model) throw new RtneuralModelError(result.errors, file);
  return result.model;
}
