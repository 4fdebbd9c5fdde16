import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { cpus } from 'node:os';

/** What ran the maths; recorded on every run (`run.setSystem`). */
export interface BackendInfo {
  /** tfjs backend name: 'tensorflow' (tfjs-node) or 'wasm'. Never 'cpu'. */
  backend: string;
  tfjsVersion: string;
  /** Node version, e.g. 'v20.20.0'. */
  node: string;
  /** CPU model string from os.cpus(). */
  cpu: string;
  /** Threads the backend computes on (wasm is single-threaded in Node). */
  threads: number;
  /** Logical cores of the machine. */
  cores: number;
}

export interface SelectBackendOptions {
  /** 'auto' (default): tfjs-node when installed, else wasm. 'wasm' skips the tfjs-node attempt. */
  prefer?: 'auto' | 'wasm';
}

/** Thrown when the only backend available would be the pure-JS 'cpu' one (~30× slower than wasm). */
export class CpuBackendRefusedError extends Error {
  constructor(detail: string) {
    super(
      `refusing to train on the tfjs 'cpu' backend (${detail}); install @tensorflow/tfjs-node or make @tensorflow/tfjs-backend-wasm loadable`,
    );
    this.name = 'CpuBackendRefusedError';
  }
}

// A variable specifier keeps bundlers and tsc from resolving the optional package at build time.
const TFJS_NODE = '@tensorflow/tfjs-node';

async function tryTfjsNode(): Promise<boolean> {
  try {
    await import(/* @vite-ignore */ TFJS_NODE);
    return await tf.setBackend('tensorflow');
  } catch {
    return false;
  }
}

/**
 * Picks the fastest tfjs backend available: `@tensorflow/tfjs-node` when it is installed (optional
 * dependency), else `@tensorflow/tfjs-backend-wasm`. Throws {@link CpuBackendRefusedError} rather than
 * fall back to 'cpu'. Idempotent: a second call returns the same backend.
 */
export async function selectBackend(options: SelectBackendOptions = {}): Promise<BackendInfo> {
  const prefer = options.prefer ?? 'auto';
  let ok = prefer === 'auto' && tf.getBackend() === 'tensorflow';
  if (!ok && prefer === 'auto') ok = await tryTfjsNode();
  if (!ok) {
    try {
      ok = await tf.setBackend('wasm');
    } catch (err) {
      throw new CpuBackendRefusedError(`wasm failed to initialise: ${String(err)}`);
    }
  }
  await tf.ready();
  const backend = tf.getBackend();
  if (!ok || backend === 'cpu') throw new CpuBackendRefusedError(`active backend is '${backend}'`);
  const cpuList = cpus();
  return {
    backend,
    tfjsVersion: tf.version.tfjs,
    node: process.version,
    cpu: cpuList[0]?.model.trim() ?? 'unknown',
    threads: backend === 'tensorflow' ? cpuList.length : 1,
    cores: cpuList.length,
  };
}

/** Guard for training code paths: throws when the active backend is the pure-JS 'cpu'. */
export function assertTrainableBackend(): void {
  const backend = tf.getBackend();
  if (backend === 'cpu') throw new CpuBackendRefusedError("active backend is 'cpu'");
}
