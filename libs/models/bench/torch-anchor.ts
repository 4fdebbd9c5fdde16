/**
 * The lstm bench's anchor, measured in the same run: PyTorch-CPU (Debian python3-torch with OpenBLAS) training
 * the seed MelodyTransformer config (torch_lstm_anchor.py). Never part of `npm test`.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DEBIAN_PYTHON, pythonAnchorEnv } from './env';

const SCRIPT = fileURLToPath(new URL('./torch_lstm_anchor.py', import.meta.url));

export interface TorchRun {
  /** torch's intra-op (OpenMP) threads, as torch.set_num_threads set them. */
  threads: number;
  /** OpenBLAS's own thread pool (OPENBLAS_NUM_THREADS; null when libblas is not OpenBLAS). */
  openblasThreads: number | null;
  interopThreads: number;
  /** OS threads of the Python process after training. */
  osThreads: number;
  meanSeconds: number;
  bestSeconds: number;
  cpuSeconds: number;
  steps: number;
  samplesPerSec: number;
  samplesPerSecBest: number;
  samplesPerCpuSec: number;
}

export type TorchAnchor =
  | { available: true; torch: string; defaultThreads: number; runs: TorchRun[]; best: TorchRun }
  | { available: false; reason: string };

interface ScriptOut {
  meanSeconds: number;
  bestSeconds: number;
  cpuSeconds: number;
  steps: number;
  threads: number;
  openblasThreads: number | null;
  interopThreads: number;
  osThreads: number;
  defaultThreads: number;
  torch: string;
}

/** One PyTorch configuration: torch's intra-op threads and OpenBLAS's pool size. */
export interface TorchThreads {
  threads: number;
  blasThreads: number;
}

/**
 * Trains the seed config in PyTorch once per thread configuration (each in its own process); `best` is the
 * fastest by best-step samples/s. Reports `available: false` with the reason when /usr/bin/python3 cannot
 * import torch.
 */
export function torchAnchor(o: {
  frames: number;
  batch: number;
  steps: number;
  budgetSeconds: number;
  threads: TorchThreads[];
}): TorchAnchor {
  const probe = spawnSync(DEBIAN_PYTHON, ['-c', 'import torch'], {
    encoding: 'utf8',
    env: pythonAnchorEnv(),
  });
  if (probe.error || probe.status !== 0)
    return {
      available: false,
      reason: `${DEBIAN_PYTHON} cannot import torch (${probe.error?.message ?? probe.stderr.trim().split('\n').pop()}); install Debian's python3-torch and libopenblas0-pthread`,
    };
  const runs: TorchRun[] = [];
  let meta: ScriptOut | undefined;
  for (const { threads, blasThreads } of o.threads) {
    process.stderr.write(
      `lstm bench: PyTorch ${o.frames} frames, ${threads} torch thread(s), ${blasThreads} OpenBLAS `,
    );
    const t0 = performance.now();
    const config = {
      frames: o.frames,
      batch: o.batch,
      steps: o.steps,
      budgetSeconds: o.budgetSeconds,
      threads,
    };
    const r = spawnSync(DEBIAN_PYTHON, [SCRIPT, JSON.stringify(config)], {
      encoding: 'utf8',
      env: pythonAnchorEnv(blasThreads),
      maxBuffer: 1024 * 1024,
    });
    const line = r.stdout?.trim().split('\n').pop() ?? '';
    if (r.status !== 0 || !line.startsWith('{'))
      return {
        available: false,
        reason: `torch_lstm_anchor.py failed (exit ${r.status}): ${r.stderr.slice(-400)}`,
      };
    meta = JSON.parse(line) as ScriptOut;
    process.stderr.write(` ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
    runs.push({
      threads: meta.threads,
      openblasThreads: meta.openblasThreads,
      interopThreads: meta.interopThreads,
      osThreads: meta.osThreads,
      meanSeconds: meta.meanSeconds,
      bestSeconds: meta.bestSeconds,
      cpuSeconds: meta.cpuSeconds,
      steps: meta.steps,
      samplesPerSec: o.batch / meta.meanSeconds,
      samplesPerSecBest: o.batch / meta.bestSeconds,
      samplesPerCpuSec: o.batch / meta.cpuSeconds,
    });
  }
  if (!meta || runs.length === 0) return { available: false, reason: 'no thread count to run' };
  const best = runs.reduce((a, b) => (b.samplesPerSecBest > a.samplesPerSecBest ? b : a));
  return { available: true, torch: meta.torch, defaultThreads: meta.defaultThreads, runs, best };
}
