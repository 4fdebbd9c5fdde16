/**
 * Test helper: the vendored RTNeural checkout and its test vectors, read in place from ../shared (relative to
 * the repository root). Absent: the tests skip with the reason, unless KELLY_REQUIRE_FIXTURES=1 (CI), where
 * a missing checkout, fixture folder or compiler fails them.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readNativeEnv } from '../src/env';

const REPO = resolve(import.meta.dirname, '../../..');
export const VENDOR_RTNEURAL = resolve(REPO, '../shared/vendor/rtneural');
export const RTNEURAL_FIXTURES = resolve(REPO, '../shared/fixtures/rtneural');

const haveCompiler = () => {
  const r = spawnSync(readNativeEnv().CXX ?? 'g++', ['--version'], { stdio: 'ignore' });
  return !r.error && r.status === 0;
};

/** Why the native tests cannot run here, or null when they can. */
export function nativeMissing(): string | null {
  if (!existsSync(join(VENDOR_RTNEURAL, 'RTNeural/RTNeural.cpp')))
    return `no RTNeural checkout at ${VENDOR_RTNEURAL}`;
  if (!existsSync(RTNEURAL_FIXTURES)) return `no RTNeural test vectors at ${RTNEURAL_FIXTURES}`;
  if (!haveCompiler()) return 'no C++ compiler (g++)';
  return null;
}

/** True when the tests should skip; throws when KELLY_REQUIRE_FIXTURES=1 demands them. */
export function skipNative(): boolean {
  const missing = nativeMissing();
  if (missing && readNativeEnv().KELLY_REQUIRE_FIXTURES === '1')
    throw new Error(`KELLY_REQUIRE_FIXTURES=1 but ${missing}`);
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
