import { Worker } from 'node:worker_threads';
import type { WorkerResult, WorkerTask } from './worker-messages';

/** Plain-JS bootstrap that registers tsx in the thread, then imports feature-worker.ts. */
const WORKER_URL = new URL('./feature-worker-entry.mjs', import.meta.url);

/**
 * A fixed set of worker threads running feature tasks (TypeScript loaded through tsx in each worker).
 * Tasks are handed out as workers free up; results come back in task order. Always `close()` it.
 */
export class WorkerPool {
  private readonly workers: Worker[];

  constructor(readonly size: number) {
    if (!(Number.isInteger(size) && size >= 1))
      throw new Error(`WorkerPool: size must be a positive integer (got ${size})`);
    this.workers = Array.from({ length: size }, () => new Worker(WORKER_URL));
  }

  /** Runs every task; rejects with the first worker error (the message names the task's inputs when it can). */
  async run(tasks: readonly WorkerTask[]): Promise<WorkerResult[]> {
    const results: WorkerResult[] = new Array<WorkerResult>(tasks.length);
    let next = 0;
    const loop = async (w: Worker): Promise<void> => {
      while (next < tasks.length) {
        const i = next++;
        const r = await this.once(w, tasks[i]!);
        if (r.type === 'error') throw new Error(`feature worker: ${r.message}`);
        results[i] = r;
      }
    };
    await Promise.all(this.workers.map(loop));
    return results;
  }

  /** Runs `task` once on every worker (e.g. to seed per-thread caches); rejects on the first error. */
  async broadcast(task: WorkerTask): Promise<void> {
    const results = await Promise.all(this.workers.map((w) => this.once(w, task)));
    const failed = results.find((r) => r.type === 'error');
    if (failed?.type === 'error') throw new Error(`feature worker: ${failed.message}`);
  }

  private once(w: Worker, task: WorkerTask): Promise<WorkerResult> {
    return new Promise((resolve, reject) => {
      const onMessage = (r: WorkerResult): void => {
        cleanup();
        resolve(r);
      };
      const onError = (e: Error): void => {
        cleanup();
        reject(e);
      };
      const onExit = (code: number): void => {
        cleanup();
        reject(new Error(`feature worker exited with code ${code}`));
      };
      const cleanup = (): void => {
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
      };
      w.on('message', onMessage);
      w.on('error', onError);
      w.on('exit', onExit);
      w.postMessage(task);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** Splits 0…n−1 into `parts` contiguous chunks of near-equal size (more chunks than workers balances load). */
export function chunkIndices(n: number, parts: number): number[][] {
  const out: number[][] = [];
  const size = Math.ceil(n / Math.max(1, parts));
  for (let s = 0; s < n; s += size) out.push(Array.from({ length: Math.min(size, n - s) }, (_, k) => s + k));
  return out;
}
