import { Worker } from 'node:worker_threads';
import type { StepRequest, WorkerInit, WorkerMessage } from './protocol';

const WORKER_ENTRY = new URL('./worker-entry.mjs', import.meta.url);

/** Shard result of one worker for one step. */
export interface ShardResult {
  loss: number;
  count: number;
}

export interface GradientWorkerPool {
  /** Sends worker `index` its shard; resolves when its gradients are in its shared buffer. */
  step(index: number, req: StepRequest): Promise<ShardResult>;
  terminate(): Promise<void>;
}

/**
 * Starts one worker thread per init (worker-entry.mjs → tsx → gradient-worker.ts) and resolves when
 * every one has built its model; rejects with the first worker's error (and stops them all).
 * A worker that errors or exits later fails every pending step.
 */
export async function startGradientWorkers(inits: WorkerInit[]): Promise<GradientWorkerPool> {
  const count = inits.length;
  const workers: Worker[] = [];
  const pending = new Map<number, { resolve: (r: ShardResult) => void; reject: (e: Error) => void }>();
  const failAll = (err: Error) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  const ready = inits.map((init, index) => {
    const worker = new Worker(WORKER_ENTRY, { workerData: init });
    workers.push(worker);
    return new Promise<void>((resolve, reject) => {
      worker.on('message', (m: WorkerMessage) => {
        if (m.type === 'ready') return resolve();
        if (m.type === 'error' && m.id === undefined)
          return reject(new Error(`gradient worker ${index}: ${m.message}`));
        const key = (m.id ?? -1) * count + index;
        const p = pending.get(key);
        pending.delete(key);
        if (m.type === 'error')
          p?.reject(new Error(`gradient worker ${index}: ${m.message}\n${m.stack ?? ''}`));
        else if (m.type === 'grads') p?.resolve({ loss: m.loss, count: m.count });
      });
      worker.on('error', (e) => {
        reject(e);
        failAll(e);
      });
      worker.on('exit', (code) => {
        const err = new Error(`gradient worker ${index} exited with code ${code}`);
        reject(err);
        if (code !== 0) failAll(err);
      });
    });
  });
  const terminate = async () => {
    failAll(new Error('gradient workers stopped'));
    await Promise.all(workers.map((w) => w.terminate()));
  };
  try {
    await Promise.all(ready);
  } catch (err) {
    await terminate();
    throw err;
  }
  return {
    step: (index, req) =>
      new Promise<ShardResult>((resolve, reject) => {
        pending.set(req.id * count + index, { resolve, reject });
        workers[index]!.postMessage(req, [req.x.buffer as ArrayBuffer, req.y.buffer as ArrayBuffer]);
      }),
    terminate,
  };
}
