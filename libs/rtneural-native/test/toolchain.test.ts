// Building and caching the runner against a real checkout, and the one-line refusals without one.
import { appendFileSync, chmodSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildHash, ensureRunner } from '../src/build';
import { checkNativeModel } from '../src/native-check';
import { NativeUnavailableError, resolveToolchain } from '../src/toolchain';
import { RTNEURAL_FIXTURES, skipNative, VENDOR_RTNEURAL } from './support';

const skip = skipNative();
const tmp = mkdtempSync(join(tmpdir(), 'kelly-native-tc-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('without a checkout or a compiler', () => {
  it('no checkout: one line naming KELLY_RTNEURAL_DIR and g++', () => {
    const e = (() => {
      try {
        resolveToolchain({ env: {} });
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(NativeUnavailableError);
    const msg = (e as Error).message;
    expect(msg).not.toContain('\n');
    expect(msg).toContain('KELLY_RTNEURAL_DIR');
    expect(msg).toContain('g++');
  });

  it('a folder that is not an RTNeural checkout is named with what is missing', () => {
    expect(() => resolveToolchain({ rtneuralDir: tmp, env: {} })).toThrow(
      /is not an RTNeural checkout \(missing RTNeural\/RTNeural.cpp.*KELLY_RTNEURAL_DIR/,
    );
  });

  it.skipIf(skip)('no compiler: one line saying to install g++', () => {
    expect(() =>
      resolveToolchain({ rtneuralDir: VENDOR_RTNEURAL, cxx: 'kelly-no-such-compiler', env: {} }),
    ).toThrow(/no C\+\+17 compiler \(kelly-no-such-compiler not found\); install g\+\+/);
  });

  it('the native check reports "unavailable" with that line instead of throwing', async () => {
    const o = await checkNativeModel({
      modelPath: join(RTNEURAL_FIXTURES, 'dense-tanh', 'model.json'),
      heldOut: {
        format: 'kelly-rtneural-held-out',
        version: 1,
        source: 't',
        inSize: 1,
        outSize: 1,
        clips: [{ input: [[0]], expected: [[0]], offset: 0 }],
      },
      env: {},
    });
    expect(o.status).toBe('unavailable');
    expect(o.status === 'unavailable' && o.reason).toMatch(/KELLY_RTNEURAL_DIR.*g\+\+/);
  });
});

describe.skipIf(skip)('building and caching', () => {
  it('builds once per hash (parallel callers share the build), then reuses the binary', async () => {
    const cacheDir = join(tmp, 'cache');
    const all = await Promise.all(
      [1, 2, 3].map(() => ensureRunner({ rtneuralDir: VENDOR_RTNEURAL, cacheDir })),
    );
    expect(all.filter((r) => r.built)).toHaveLength(1);
    expect(new Set(all.map((r) => r.path)).size).toBe(1);
    const again = await ensureRunner({ rtneuralDir: VENDOR_RTNEURAL, cacheDir });
    expect(again).toMatchObject({ built: false, path: all[0]!.path, hash: all[0]!.hash });
  });

  it('a hanging compiler fails the build at its time limit, not a hang', async () => {
    const hang = join(tmp, 'hanging-cxx');
    // answers --version like a compiler, then never finishes a build
    writeFileSync(
      hang,
      '#!/bin/sh\n[ "$1" = "--version" ] && { echo "hang 1.0"; exit 0; }\nexec sleep 600\n',
    );
    chmodSync(hang, 0o755);
    const o = await checkNativeModel({
      modelPath: join(RTNEURAL_FIXTURES, 'dense-tanh', 'model.json'),
      heldOut: {
        format: 'kelly-rtneural-held-out',
        version: 1,
        source: 't',
        inSize: 8,
        outSize: 4,
        clips: [{ input: [[0, 0, 0, 0, 0, 0, 0, 0]], expected: [[0, 0, 0, 0]], offset: 0 }],
      },
      rtneuralDir: VENDOR_RTNEURAL,
      cxx: hang,
      cacheDir: join(tmp, 'cache-hang'),
      buildTimeoutMs: 1000,
      env: {},
    });
    expect(o).toMatchObject({ status: 'failed', stage: 'build' });
    expect(o.status === 'failed' && o.reason).toMatch(/hanging-cxx was killed \(SIGKILL, over 1000 ms\)/);
  });

  it("the hash follows the checkout's contents, not its path", () => {
    const copy = join(tmp, 'checkout');
    cpSync(VENDOR_RTNEURAL, copy, { recursive: true });
    const tc = (dir: string) => resolveToolchain({ rtneuralDir: dir, env: {} });
    const original = buildHash(tc(VENDOR_RTNEURAL));
    expect(buildHash(tc(copy))).toBe(original);
    appendFileSync(join(copy, 'RTNeural/dense/dense.h'), '\n// changed\n');
    expect(buildHash(tc(copy))).not.toBe(original);
    writeFileSync(join(copy, 'README.md'), 'not compiled: does not count');
  });
});
