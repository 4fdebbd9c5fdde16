import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveToolchain, type Toolchain, type ToolchainOptions } from './toolchain';

/** The runner's C++ source (see its header for the protocol). */
export const RUNNER_SOURCE = fileURLToPath(new URL('../native/runner.cpp', import.meta.url));

/** How the plugin builds RTNeural (the vendored SOURCE.md line): Eigen backend, -O2, C++17. */
export const COMPILE_FLAGS = [
  '-O2',
  '-std=c++17',
  '-DRTNEURAL_USE_EIGEN=1',
  '-DRTNEURAL_NAMESPACE=RTNeural',
  '-DRTNEURAL_DEFAULT_ALIGNMENT=16',
] as const;

export interface RunnerBinary {
  path: string;
  /** sha256 of the runner source, flags, compiler version and every file of the checkout it compiles. */
  hash: string;
  /** False when the cached binary was reused. */
  built: boolean;
  buildMs: number;
  toolchain: Toolchain;
}

export interface EnsureOptions extends ToolchainOptions {
  /** Build time limit. Default 10 min (a build takes ~15-30 s). */
  buildTimeoutMs?: number;
  /** Told once when a build starts (it takes a while). */
  onBuild?: (message: string) => void;
}

/** Thrown when the compiler fails or runs out of time; the message ends with the compiler's last output. */
export class NativeBuildError extends Error {
  override name = 'NativeBuildError';
}

function filesUnder(root: string, dir: string): string[] {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { recursive: true, encoding: 'utf8' })
    .map((f) => join(abs, f))
    .filter((f) => !f.includes('/.git/') && statSync(f).isFile())
    .map((f) => relative(root, f))
    .sort();
}

/** The build's identity: any change to the runner, the flags, the compiler or the checkout's contents changes it. */
export function buildHash(tc: Toolchain): string {
  const h = createHash('sha256');
  h.update(readFileSync(RUNNER_SOURCE));
  h.update(`\0${COMPILE_FLAGS.join(' ')}\0${tc.cxxVersion}\0`);
  for (const part of ['RTNeural', 'modules/json', 'modules/Eigen']) {
    for (const rel of filesUnder(tc.rtneuralDir, part)) {
      h.update(`${rel}\0`);
      h.update(readFileSync(join(tc.rtneuralDir, rel)));
    }
  }
  return h.digest('hex');
}

export function compileArgs(tc: Toolchain, output: string): string[] {
  const d = tc.rtneuralDir;
  return [
    ...COMPILE_FLAGS,
    `-I${d}`,
    `-I${join(d, 'RTNeural')}`,
    `-I${join(d, 'modules/json')}`,
    `-I${join(d, 'modules/Eigen')}`,
    RUNNER_SOURCE,
    join(d, 'RTNeural/RTNeural.cpp'),
    '-o',
    output,
  ];
}

function compile(tc: Toolchain, output: string, timeoutMs: number): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(tc.cxx, compileArgs(tc, output), { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new NativeBuildError(`cannot run ${tc.cxx}: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolvePromise();
      const why = signal
        ? `was killed (${signal}${signal === 'SIGKILL' ? `, over ${timeoutMs} ms` : ''})`
        : `exited ${code}`;
      reject(
        new NativeBuildError(
          `building the RTNeural runner: ${tc.cxx} ${why}: ${stderr.trim().split('\n').slice(-6).join(' | ')}`,
        ),
      );
    });
  });
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The runner binary for this toolchain, built on first use and cached under `<cacheDir>/<hash>/runner`.
 * Concurrent callers (parallel test files) share one build through a lock folder; the binary is written to a
 * temporary name and renamed, so a reader never sees half a file.
 * @throws NativeUnavailableError (no checkout / compiler), NativeBuildError (the compiler failed).
 */
export async function ensureRunner(opts: EnsureOptions = {}): Promise<RunnerBinary> {
  const toolchain = resolveToolchain(opts);
  const hash = buildHash(toolchain);
  const dir = join(toolchain.cacheDir, hash.slice(0, 24));
  const path = join(dir, 'runner');
  const timeoutMs = opts.buildTimeoutMs ?? 600_000;
  const started = Date.now();
  mkdirSync(toolchain.cacheDir, { recursive: true });
  const lock = `${dir}.lock`;
  while (!existsSync(path)) {
    try {
      mkdirSync(lock);
    } catch {
      // another process builds it: wait for its binary, or take over a lock left by a dead builder
      const held = statSync(lock, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > timeoutMs + 60_000)
        rmSync(lock, { recursive: true, force: true });
      await delay(250);
      continue;
    }
    try {
      if (existsSync(path)) break;
      opts.onBuild?.(
        `building the RTNeural runner against ${toolchain.rtneuralDir} (${toolchain.cxxVersion}) …`,
      );
      mkdirSync(dir, { recursive: true });
      const tmp = join(dir, `runner.${process.pid}.tmp`);
      await compile(toolchain, tmp, timeoutMs);
      writeFileSync(
        join(dir, 'build.json'),
        JSON.stringify(
          {
            hash,
            rtneuralDir: toolchain.rtneuralDir,
            cxx: toolchain.cxxVersion,
            flags: COMPILE_FLAGS,
            builtAt: new Date().toISOString(),
            buildMs: Date.now() - started,
          },
          null,
          2,
        ),
      );
      renameSync(tmp, path);
      return { path, hash, built: true, buildMs: Date.now() - started, toolchain };
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  return { path, hash, built: false, buildMs: Date.now() - started, toolchain };
}
