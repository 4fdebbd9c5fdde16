/**
 * Test helper: the vendored RTNeural checkout and its test vectors, read in place from ../shared through
 * @kelly/test-support. Absent: the tests skip with the reason, unless KELLY_REQUIRE_FIXTURES=1 (CI), where
 * a missing checkout, fixture folder or compiler fails them.
 */
import { fixture, readTestEnv, shared } from '@kelly/test-support';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readNativeEnv } from '../src/env';

const checkout = shared(['vendor', 'rtneural', 'RTNeural', 'RTNeural.cpp']);
const vectors = fixture('rtneural');
export const VENDOR_RTNEURAL = join(checkout.path, '../..');
export const RTNEURAL_FIXTURES = vectors.path;

const haveCompiler = () => {
  const r = spawnSync(readNativeEnv().CXX ?? 'g++', ['--version'], { stdio: 'ignore' });
  return !r.error && r.status === 0;
};

/** Why the native tests cannot run here, or null when they can. */
export function nativeMissing(): string | null {
  if (!checkout.present) return checkout.needs;
  if (!vectors.present) return vectors.needs;
  if (!haveCompiler()) return 'needs a C++ compiler (g++)';
  return null;
}

/** True when the tests should skip; throws when KELLY_REQUIRE_FIXTURES=1 demands them. */
export function skipNative(): boolean {
  const missing = nativeMissing();
  if (missing && readTestEnv().requireFixtures) throw new Error(`KELLY_REQUIRE_FIXTURES=1 but it ${missing}`);
  if (missing) console.warn(`skipping native RTNeural tests: ${missing}`);
  return missing !== null;
}

export function fixtureJson<T = unknown>(...parts: string[]): T {
  return JSON.parse(readFileSync(join(RTNEURAL_FIXTURES, ...parts), 'utf8')) as T;
}

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
