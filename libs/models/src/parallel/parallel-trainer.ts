import * as tf from '@tensorflow/tfjs';
import { availableParallelism, loadavg } from 'node:os';
import type { ModelSpec, StepRequest, WorkerInit } from './protocol';
import {
  resolveLoss,
  shardGradients,
  syncedWeights,
  trainableVariables,
  weightLayout,
  type ParallelLoss,
} from './shard-gradients';
import { startGradientWorkers, type GradientWorkerPool, type ShardResult } from './worker-pool';

export interface ParallelTrainerOptions {
  /**
   * The main thread's model: holds the weights the optimizer updates (build it with the same factory).
   * Its non-trainable weights (e.g. a fixed input normalisation) are copied to the workers every step;
   * workers never update them (no batch-norm statistics).
   */
  model: tf.LayersModel;
  /** How each worker builds the same architecture (functions cannot cross threads). */
  modelSpec: ModelSpec;
  /** A Keras loss name, or `{ module, exportName }` of a `(yTrue, yPred) => tf.Scalar` (batch mean). */
  loss: ParallelLoss;
  /** Used by `trainBatch` on the averaged gradients, e.g. `tf.train.adam(1e-3)`. Not needed for `gradients`. */
  optimizer?: tf.Optimizer;
  /** Worker threads. Default {@link defaultWorkerCount}(). 1 = compute in this thread, no worker. */
  workers?: number;
}

export interface BatchGradients {
  /** Batch-mean loss at the current weights. */
  loss: number;
  /** Gradient of the batch-mean loss, one tensor per `model.trainableWeights` entry (caller disposes). */
  grads: tf.Tensor[];
}

export interface ParallelTrainer {
  /** Number of gradient workers (1 = in-process). */
  readonly workers: number;
  /**
   * Loss and gradients of the batch x [B, …], y [B, …] at the model's current weights: the batch is
   * split into `workers` contiguous shards, each worker returns its shard-mean loss and gradients, and
   * they are averaged weighted by shard size (= the full-batch gradient). Apply them with any optimizer.
   */
  gradients(x: tf.Tensor, y: tf.Tensor): Promise<BatchGradients>;
  /** `gradients` then one `optimizer` step. @returns the batch-mean loss before the step. */
  trainBatch(x: tf.Tensor, y: tf.Tensor): Promise<number>;
  /** Cumulative time split of the steps so far (see {@link ParallelTiming}). */
  timing(): ParallelTiming;
  /** Stops the workers (they keep the process alive until then). The model stays usable. */
  dispose(): Promise<void>;
}

/**
 * Where the time of `gradients` went, summed over steps. `serial*`: main-thread work while no worker
 * computes (splitting the batch, sharing weights, averaging gradients); `parallelSeconds`: wall time
 * waiting for the workers (with 1 worker: computing the gradients in this thread).
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

const cpuSeconds = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;

/** bufs[0][0, total) ← Σ weights[i] · bufs[i][0, total) (one pass, no allocation). */
function averageInto(bufs: Float32Array[], weights: number[], total: number): void {
  const out = bufs[0]!;
  const w0 = weights[0] ?? 0;
  if (weights.length === 2) {
    const [g1, w1] = [bufs[1]!, weights[1]!];
    for (let k = 0; k < total; k++) out[k] = w0 * out[k]! + w1 * g1[k]!;
    return;
  }
  for (let k = 0; k < total; k++) out[k] = w0 * out[k]!;
  for (let i = 1; i < weights.length; i++) {
    const [g, w] = [bufs[i]!, weights[i]!];
    for (let k = 0; k < total; k++) out[k] = out[k]! + w * g[k]!;
  }
}

/** Starts the workers (if more than one) and waits until each has built its model. */
export async function createParallelTrainer(options: ParallelTrainerOptions): Promise<ParallelTrainer> {
  const { model, loss, optimizer } = options;
  const lossFn = await resolveLoss(loss).catch((e: Error) => {
    throw new Error(`createParallelTrainer: ${e.message}`);
  });
  const count = options.workers ?? defaultWorkerCount();
  if (!Number.isInteger(count) || count < 1) {
    throw new Error(`createParallelTrainer: workers must be an integer ≥ 1, got ${count}`);
  }
  const vars = trainableVariables(model);
  const synced = syncedWeights(model);
  const syncedShapes = synced.map((w) => w.shape as number[]);
  const { sizes, offsets, total: syncedTotal } = weightLayout(syncedShapes);
  const shapes = syncedShapes.slice(0, vars.length);
  const total = offsets[vars.length] ?? syncedTotal; // floats of the trainable head

  const weightsSab = new SharedArrayBuffer(syncedTotal * 4);
  const weights = new Float32Array(weightsSab);
  const gradSabs = Array.from({ length: count }, () => new SharedArrayBuffer(total * 4));
  const gradBufs = gradSabs.map((sab) => new Float32Array(sab));
  const localGrads = shapes.map((_, i) => gradBufs[0]!.subarray(offsets[i], offsets[i]! + sizes[i]!));

  let pool: GradientWorkerPool | null = null;
  if (count > 1) {
    const base = { model: options.modelSpec, loss, backend: tf.getBackend(), weights: weightsSab };
    const inits: WorkerInit[] = gradSabs.map((grads, index) => ({
      ...base,
      index,
      grads,
      shapes: syncedShapes,
      trainable: vars.length,
    }));
    pool = await startGradientWorkers(inits);
  }

  let stepId = 0;
  let disposed = false;
  const timing: ParallelTiming = { steps: 0, serialSeconds: 0, serialCpuSeconds: 0, parallelSeconds: 0 };

  /** Shard results, and when/at what process CPU time the wait for workers began. */
  async function shardResults(
    x: tf.Tensor,
    y: tf.Tensor,
    n: number,
  ): Promise<{ results: ShardResult[]; waitStart: number; cWait: NodeJS.CpuUsage }> {
    const local = () => ({ waitStart: performance.now(), cWait: process.cpuUsage() });
    if (!pool) {
      const start = local();
      return { results: [{ loss: shardGradients(model, lossFn, x, y, localGrads), count: n }], ...start };
    }
    const workerPool = pool;
    synced.forEach((w, i) => weights.set(w.read().dataSync(), offsets[i]));
    const id = stepId++;
    const [xData, yData] = [x.dataSync() as Float32Array, y.dataSync() as Float32Array];
    const [xRow, yRow] = [x.size / n, y.size / n];
    const shards = shardRanges(n, count).filter(([a, b]) => b > a); // empty shards only at the end
    const start = local();
    const results = await Promise.all(
      shards.map(([a, b], index) => {
        const req: StepRequest = {
          type: 'step',
          id,
          x: xData.slice(a * xRow, b * xRow),
          xShape: [b - a, ...x.shape.slice(1)],
          y: yData.slice(a * yRow, b * yRow),
          yShape: [b - a, ...y.shape.slice(1)],
        };
        return workerPool.step(index, req);
      }),
    );
    return { results, ...start };
  }

  async function gradients(x: tf.Tensor, y: tf.Tensor): Promise<BatchGradients> {
    if (disposed) throw new Error('parallel trainer: used after dispose()');
    const n = x.shape[0] ?? 0;
    if (n < 1 || y.shape[0] !== n) {
      throw new Error(
        `parallel trainer: x and y need the same non-zero batch size, got [${x.shape.join(', ')}] and [${y.shape.join(', ')}]`,
      );
    }
    const [t0, c0] = [performance.now(), process.cpuUsage()];
    const { results, waitStart, cWait } = await shardResults(x, y, n);
    const waitSeconds = (performance.now() - waitStart) / 1000;
    const waitCpu = cpuSeconds(process.cpuUsage(cWait));
    // weighted average of shard-mean gradients = gradient of the batch mean, in place in shard 0's
    // shared buffer. The wasm backend copies tf.tensor's data into its heap at once; other backends
    // (cpu) may keep the array itself, which the next step overwrites, so they get a copy.
    if (pool)
      averageInto(
        gradBufs,
        results.map((r) => r.count / n),
        total,
      );
    const copies = tf.getBackend() !== 'wasm';
    const grads = shapes.map((shape, i) =>
      tf.tensor(copies ? localGrads[i]!.slice() : localGrads[i]!, shape),
    );
    const wall = (performance.now() - t0) / 1000;
    timing.steps++;
    timing.parallelSeconds += waitSeconds;
    timing.serialSeconds += wall - waitSeconds;
    // outside the wait only the main thread runs (the workers are idle)
    timing.serialCpuSeconds += pool ? cpuSeconds(process.cpuUsage(c0)) - waitCpu : wall - waitSeconds;
    return { loss: results.reduce((s, r) => s + (r.loss * r.count) / n, 0), grads };
  }

  async function trainBatch(x: tf.Tensor, y: tf.Tensor): Promise<number> {
    if (!optimizer) throw new Error('parallel trainer: trainBatch needs the `optimizer` option');
    const { loss: value, grads } = await gradients(x, y);
    const named: tf.NamedTensorMap = {};
    vars.forEach((v, i) => (named[v.name] = grads[i]!));
    optimizer.applyGradients(named);
    tf.dispose(grads);
    return value;
  }

  return {
    workers: count,
    gradients,
    trainBatch,
    timing: () => ({ ...timing }),
    async dispose() {
      disposed = true;
      await pool?.terminate();
    },
  };
}
