/**
 * Test helper: the vendored RTNeural checkout (../shared/vendor/rtneural) and its test vectors
 * (../shared/fixtures/rtneural), checked through @kelly/test-support, plus the C++ compiler. Absent: the
 * tests skip with the reason; under KELLY_REQUIRE_FIXTURES=1 (CI) a missing checkout, fixture folder or g++
 * fails them.
 */
import { fixture, MissingFixtureError, readTestEnv, shared } from '@kelly/test-support';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readNativeEnv } from '../src/env';

const vendor = shared(['vendor', 'rtneural']);
const vectors = fixture('rtneural');
export const VENDOR_RTNEURAL = vendor.path;
export const RTNEURAL_FIXTURES = vectors.path;

function compiler(): string | null {
  const cxx = readNativeEnv().CXX ?? 'g++';
  const r = spawnSync(cxx, ['--version'], { stdio: 'ignore' });
  if (!r.error && r.status === 0) return null;
  const what = `a C++17 compiler (${cxx}; apt-get install -y g++)`;
  if (readTestEnv().requireFixtures) throw new MissingFixtureError(what, cxx);
  return what;
}

/** True when the native tests must skip (and says why); throws under KELLY_REQUIRE_FIXTURES=1. */
export function skipNative(): boolean {
  const missing = [vendor, vectors].filter((n) => !n.present).map((n) => n.needs);
  const cxx = compiler();
  if (cxx) missing.push(`needs ${cxx}`);
  if (missing.length) console.warn(`skipping native RTNeural tests: ${missing.join(', ')}`);
  return missing.length > 0;
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
