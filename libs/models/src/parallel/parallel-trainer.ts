import * as tf from '@tensorflow/tfjs';
import { availableParallelism, loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ModelSpec, StepRequest, WorkerInit, WorkerMessage } from './protocol';
import {
  PARALLEL_LOSS_NAMES,
  shardGradients,
  syncedWeights,
  trainableVariables,
  weightLayout,
  type ParallelLossName,
} from './shard-gradients';

export interface ParallelTrainerOptions {
  /**
   * The main thread's model: holds the weights the optimizer updates (build it with the same factory).
   * Its non-trainable weights (e.g. a fixed input normalisation) are copied to the workers every step;
   * workers never update them (no batch-norm statistics).
   */
  model: tf.LayersModel;
  /** How each worker builds the same architecture (functions cannot cross threads). */
  modelSpec: ModelSpec;
  loss: ParallelLossName;
  /** Applied on the main thread to the averaged gradients, e.g. `tf.train.adam(1e-3)`. */
  optimizer: tf.Optimizer;
  /** Worker threads. Default {@link defaultWorkerCount}(). 1 = compute in this thread, no worker. */
  workers?: number;
}

export interface ParallelTrainer {
  /** Number of gradient workers (1 = in-process). */
  readonly workers: number;
  /**
   * One optimizer step on the batch x [B, …], y [B, …]: the batch is split into `workers` contiguous
   * shards, each worker returns its shard-mean loss and gradients, the main thread averages them
   * weighted by shard size (= the full-batch gradient), applies the optimizer and shares the new
   * weights. @returns the batch-mean loss before the step.
   */
  trainBatch(x: tf.Tensor, y: tf.Tensor): Promise<number>;
  /** Cumulative time split of the steps so far (see {@link ParallelTiming}). */
  timing(): ParallelTiming;
  /** Stops the workers (they keep the process alive until then). The model stays usable. */
  dispose(): Promise<void>;
}

/**
 * Where trainBatch's time went, summed over steps. `serial*`: main-thread work while no worker computes
 * (splitting the batch, sharing weights, averaging gradients, the optimizer step); `parallelSeconds`:
 * wall time waiting for the workers (with 1 worker: computing the gradients in this thread).
 */
export interface ParallelTiming {
  steps: number;
  serialSeconds: number;
  serialCpuSeconds: number;
  parallelSeconds: number;
}

/**
 * Cores free for training: logical cores minus the 1-minute load average (other processes), at least 1.
 * Training uses several workers by default only when more than one core is free.
 */
export function defaultWorkerCount(): number {
  const cores = availableParallelism();
  const free = Math.floor(cores - (loadavg()[0] ?? 0) + 0.5);
  return Math.max(1, Math.min(cores, free));
}

/** Splits n rows into k contiguous shards whose sizes differ by at most one: [start, end) pairs. */
export function shardRanges(n: number, k: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = 0;
  for (let i = 0; i < k; i++) {
    const size = Math.floor(n / k) + (i < n % k ? 1 : 0);
    out.push([start, start + size]);
    start += size;
  }
  return out;
}

const WORKER_ENTRY = new URL('./worker-entry.mjs', import.meta.url);

/** Starts the workers (if more than one) and waits until each has built its model. */
export async function createParallelTrainer(options: ParallelTrainerOptions): Promise<ParallelTrainer> {
  const { model, loss, optimizer } = options;
  if (!PARALLEL_LOSS_NAMES.includes(loss)) {
    throw new Error(
      `createParallelTrainer: unknown loss '${String(loss)}' (known: ${PARALLEL_LOSS_NAMES.join(', ')})`,
    );
  }
  const count = options.workers ?? defaultWorkerCount();
  if (!Number.isInteger(count) || count < 1)
    throw new Error(`createParallelTrainer: workers must be an integer ≥ 1, got ${count}`);
  const vars = trainableVariables(model);
  const synced = syncedWeights(model);
  const syncedShapes = synced.map((w) => w.shape as number[]);
  const { sizes, offsets, total: syncedTotal } = weightLayout(syncedShapes);
  const shapes = syncedShapes.slice(0, vars.length);
  const total = offsets[vars.length] ?? syncedTotal; // floats of the trainable head
  const views = (buf: Float32Array) =>
    shapes.map((_, i) => buf.subarray(offsets[i], offsets[i]! + sizes[i]!));

  const weightsSab = new SharedArrayBuffer(syncedTotal * 4);
  const weights = new Float32Array(weightsSab);
  const gradSabs = Array.from({ length: count }, () => new SharedArrayBuffer(total * 4));
  const gradBufs = gradSabs.map((sab) => new Float32Array(sab));
  const publishWeights = () => synced.forEach((w, i) => weights.set(w.read().dataSync(), offsets[i]));

  const workers: Worker[] = [];
  const pending = new Map<number, { resolve: (m: WorkerMessage) => void; reject: (e: Error) => void }>();
  const failAll = (err: Error) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  if (count > 1) {
    const ready = gradSabs.map((_, index) => {
      const init: WorkerInit = {
        index,
        model: options.modelSpec,
        loss,
        backend: tf.getBackend(),
        weights: weightsSab,
        grads: gradSabs[index]!,
        shapes: syncedShapes,
        trainable: vars.length,
      };
      const worker = new Worker(WORKER_ENTRY, { workerData: init });
      workers.push(worker);
      return new Promise<void>((resolve, reject) => {
        worker.on('message', (m: WorkerMessage) => {
          if (m.type === 'ready') resolve();
          else if (m.type === 'error' && m.id === undefined)
            reject(new Error(`gradient worker ${index}: ${m.message}`));
          else {
            const key = (m.id ?? -1) * count + index;
            const p = pending.get(key);
            pending.delete(key);
            if (m.type === 'error')
              p?.reject(new Error(`gradient worker ${index}: ${m.message}\n${m.stack ?? ''}`));
            else p?.resolve(m);
          }
        });
        worker.on('error', (e) => {
          reject(e);
          failAll(e);
        });
        worker.on('exit', (code) => {
          if (code !== 0) failAll(new Error(`gradient worker ${index} exited with code ${code}`));
        });
      });
    });
    try {
      await Promise.all(ready);
    } catch (err) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw err;
    }
  }

  let stepId = 0;
  let disposed = false;
  const timing: ParallelTiming = { steps: 0, serialSeconds: 0, serialCpuSeconds: 0, parallelSeconds: 0 };
  const localGrads = views(gradBufs[0]!);

  async function trainBatch(x: tf.Tensor, y: tf.Tensor): Promise<number> {
    const n = x.shape[0] ?? 0;
    if (n < 1 || y.shape[0] !== n) {
      throw new Error(
        `trainBatch: x and y need the same non-zero batch size, got [${x.shape.join(', ')}] and [${y.shape.join(', ')}]`,
      );
    }
    if (disposed) throw new Error('trainBatch: the parallel trainer was disposed');
    const id = stepId++;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    let tParallel = 0;
    let cpuDuringWait = 0;
    const shards = shardRanges(n, count).filter(([a, b]) => b > a);
    let results: Array<{ loss: number; count: number }>;
    if (count === 1) {
      results = [{ loss: shardGradients(model, loss, x, y, localGrads), count: n }];
      tParallel = performance.now() - t0;
    } else {
      publishWeights();
      const xData = x.dataSync() as Float32Array;
      const yData = y.dataSync() as Float32Array;
      const xRow = x.size / n;
      const yRow = y.size / n;
      const pending0 = performance.now();
      const cWait = process.cpuUsage();
      results = await Promise.all(
        shards.map(([a, b], index) => {
          const req: StepRequest = {
            type: 'step',
            id,
            x: xData.slice(a * xRow, b * xRow),
            xShape: [b - a, ...x.shape.slice(1)],
            y: yData.slice(a * yRow, b * yRow),
            yShape: [b - a, ...y.shape.slice(1)],
          };
          return new Promise<{ loss: number; count: number }>((resolve, reject) => {
            pending.set(id * count + index, {
              resolve: (m) =>
                resolve(m.type === 'grads' ? { loss: m.loss, count: m.count } : { loss: NaN, count: 0 }),
              reject,
            });
            workers[index]!.postMessage(req, [req.x.buffer as ArrayBuffer, req.y.buffer as ArrayBuffer]);
          });
        }),
      );
      tParallel = performance.now() - pending0;
      const cw = process.cpuUsage(cWait);
      cpuDuringWait = (cw.user + cw.system) / 1e6;
    }
    // weighted average of shard-mean gradients = gradient of the batch mean
    const avg = new Float32Array(total);
    results.forEach((r, i) => {
      const g = gradBufs[i]!;
      const w = r.count / n;
      for (let k = 0; k < total; k++) avg[k]! += w * g[k]!;
    });
    const named: tf.NamedTensorMap = {};
    vars.forEach((v, i) => {
      named[v.name] = tf.tensor(avg.subarray(offsets[i], offsets[i]! + sizes[i]!), shapes[i]);
    });
    optimizer.applyGradients(named);
    tf.dispose(Object.values(named));
    const wall = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(c0);
    timing.steps++;
    timing.parallelSeconds += tParallel / 1000;
    timing.serialSeconds += wall - tParallel / 1000;
    // the process CPU outside the wait: the main thread's (workers idle then); 1 worker: all of it but
    // the gradient computation, which is not separable here, so the wall split is used
    timing.serialCpuSeconds +=
      count > 1 ? (cpu.user + cpu.system) / 1e6 - cpuDuringWait : wall - tParallel / 1000;
    return results.reduce((s, r) => s + (r.loss * r.count) / n, 0);
  }

  return {
    workers: count,
    trainBatch,
    timing: () => ({ ...timing }),
    async dispose() {
      disposed = true;
      failAll(new Error('parallel trainer disposed'));
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
