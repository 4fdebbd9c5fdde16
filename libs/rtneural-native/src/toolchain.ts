import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { readNativeEnv, type NativeEnv } from './env';

/** Where the runner is built from and with. */
export interface ToolchainOptions {
  /** RTNeural checkout; else KELLY_RTNEURAL_DIR. */
  rtneuralDir?: string;
  /** C++17 compiler; else CXX, else `g++`. */
  cxx?: string;
  /** Build cache; else KELLY_NATIVE_CACHE, else `~/.cache/kelly/rtneural-native`. */
  cacheDir?: string;
  /** Environment to read instead of process.env (tests). */
  env?: NativeEnv;
}

export interface Toolchain {
  rtneuralDir: string;
  cxx: string;
  /** First line of `<cxx> --version`. */
  cxxVersion: string;
  cacheDir: string;
}

/**
 * No RTNeural checkout or no compiler: the native check cannot run. The message is one line that says how to
 * provide what is missing.
 */
export class NativeUnavailableError extends Error {
  override name = 'NativeUnavailableError';
}

/** Files a checkout must hold (RTNeural's layout: sources, and the json + Eigen modules it vendors). */
export const CHECKOUT_PARTS = [
  'RTNeural/RTNeural.cpp',
  'RTNeural/RTNeural.h',
  'modules/json',
  'modules/Eigen',
];

export const HOW_TO_PROVIDE =
  "set KELLY_RTNEURAL_DIR (or --rtneural-dir) to an RTNeural checkout such as the plugin's submodule, and install a C++17 compiler (g++)";

/**
 * Finds the checkout and the compiler.
 * @throws NativeUnavailableError with a one-line reason when either is missing.
 */
export function resolveToolchain(opts: ToolchainOptions = {}): Toolchain {
  const env = opts.env ?? readNativeEnv();
  const dir = opts.rtneuralDir ?? env.KELLY_RTNEURAL_DIR;
  if (!dir)
    throw new NativeUnavailableError(`native RTNeural unavailable: no RTNeural checkout; ${HOW_TO_PROVIDE}`);
  const rtneuralDir = resolve(dir);
  const missing = CHECKOUT_PARTS.filter((p) => !existsSync(join(rtneuralDir, p)));
  if (missing.length > 0)
    throw new NativeUnavailableError(
      `native RTNeural unavailable: ${rtneuralDir} is not an RTNeural checkout (missing ${missing.join(', ')}); ${HOW_TO_PROVIDE}`,
    );
  const cxx = opts.cxx ?? env.CXX ?? 'g++';
  const probe = spawnSync(cxx, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  if (probe.error || probe.status !== 0)
    throw new NativeUnavailableError(
      `native RTNeural unavailable: no C++17 compiler (${cxx} ${probe.error ? 'not found' : `exited ${probe.status}`}); install g++ (e.g. apt-get install g++) or set CXX; RTNeural checkout: ${rtneuralDir}`,
    );
  const cacheDir = resolve(
    opts.cacheDir ?? env.KELLY_NATIVE_CACHE ?? join(homedir(), '.cache', 'kelly', 'rtneural-native'),
  );
  return { rtneuralDir, cxx, cxxVersion: probe.stdout.split('\n')[0]!.trim(), cacheDir };
}
