/**
 * Test helper: reads the shared RTNeural test vectors (../shared/fixtures/rtneural, relative to the repo).
 * Not exported from the lib; tests skip with a reason when the folder is missing.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** /work/main/libs/models/src/rtneural → /work/shared/fixtures/rtneural */
export const RTNEURAL_FIXTURES = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../../../shared/fixtures/rtneural',
);
export const HAVE_RTNEURAL_FIXTURES = existsSync(RTNEURAL_FIXTURES);

export const FIXTURE_CASES = [
  'dense-tanh',
  'dense-activations',
  'lstm-small',
  'lstm-stacked-melody',
  'lstm-melody-full',
  'gru-reset-after',
  'conv1d-causal',
  'batchnorm-prelu',
] as const;

export function readFixtureJson(...parts: string[]): unknown {
  return JSON.parse(readFileSync(join(RTNEURAL_FIXTURES, ...parts), 'utf8'));
}

export function invalidFixtureFiles(): string[] {
  return readdirSync(join(RTNEURAL_FIXTURES, 'invalid'))
    .filter((f) => f.endsWith('.json'))
    .sort();
}
