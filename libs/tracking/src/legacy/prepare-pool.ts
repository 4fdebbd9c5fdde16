import { Worker } from 'node:worker_threads';
import { loadAndPrepare, type Loaded } from './load-legacy-file';

export interface PrepareRequest {
  id: number;
  root: string;
  paths: readonly string[];
}
export type PrepareReply = { id: number; loaded: Loaded[] } | { id: number; error: string };

/** Plain-JS bootstrap that registers tsx in the thread, then imports prepare-worker.ts. */
const WORKER_URL = new URL('./prepare-worker-entry.mjs', import.meta.url);

/**
 * Worker threads that read and prepare legacy files (hash, parse, classify, map, validate) while the caller's
 * thread writes the store. Batches go round-robin; a batch whose worker fails (or a pool that could not start)
 * is prepared on the calling thread instead, so `load` never rejects. Always `close()` it.
 */
export class PreparePool {
  private readonly workers: {
    worker: Worker;
    waiting: Map<number, (r: PrepareReply) => void>;
    dead: boolean;
  }[] = [];
  private next = 0;
  private ids = 0;

  constructor(size: number) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(WORKER_URL);
      const waiting = new Map<number, (r: PrepareReply) => void>();
      const entry = { worker, waiting, dead: false };
      const failAll = (error: string) => {
        entry.dead = true;
        for (const [id, done] of waiting) done({ id, error });
        waiting.clear();
      };
      worker.on('message', (r: PrepareReply) => {
        waiting.get(r.id)?.(r);
        waiting.delete(r.id);
      });
      worker.on('error', (e) => failAll(e.message));
      worker.on('exit', (code) => failAll(`prepare worker exited with code ${code}`));
      this.workers.push(entry);
    }
  }

  /** Reads and prepares `paths` (relative to or under `root`) in a worker; on the calling thread if that fails. */
  async load(root: string, paths: readonly string[]): Promise<Loaded[]> {
    const w = this.workers[this.next++ % this.workers.length];
    if (!w || w.dead) return loadAndPrepare(root, paths);
    const id = this.ids++;
    const reply = await new Promise<PrepareReply>((resolve) => {
      w.waiting.set(id, resolve);
      w.worker.postMessage({ id, root, paths } satisfies PrepareRequest);
    });
    return 'loaded' in reply ? reply.loaded : loadAndPrepare(root, paths);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }
}
