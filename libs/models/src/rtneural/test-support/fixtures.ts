/**
 * Test helper: reads the shared RTNeural test vectors (`../shared/fixtures/rtneural` beside the repo root).
 * Not exported from the lib; tests skip naming the folder when it is missing (and fail under KELLY_REQUIRE_FIXTURES=1).
 */
import { fixture } from '@kelly/test-support';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const rtneuralFixtures = fixture('rtneural');
export const RTNEURAL_FIXTURES = rtneuralFixtures.path;
export const HAVE_RTNEURAL_FIXTURES = rtneuralFixtures.present;

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
