import type { ParallelLoss } from './shard-gradients';

/** Messages between the parallel trainer (main thread) and its gradient workers. */

/** How a worker builds the model: `(await import(module))[exportName](args)` → tf.LayersModel. */
export interface ModelSpec {
  /** Import specifier resolvable from the worker: an absolute path, a file:// URL or a package name. */
  module: string;
  exportName: string;
  /** Structured-cloneable argument for the factory. */
  args?: unknown;
}

export interface WorkerInit {
  index: number;
  model: ModelSpec;
  loss: ParallelLoss;
  /** tfjs backend of the main thread; the worker uses the same ('wasm' or 'tensorflow'). */
  backend: string;
  /** Float32 view: all weights concatenated, trainable first (see syncedWeights). */
  weights: SharedArrayBuffer;
  /** Float32 view: this worker's gradients, same layout as the trainable head of `weights`. */
  grads: SharedArrayBuffer;
  /** Shapes of the synced weights, as the main thread's model has them. */
  shapes: number[][];
  /** How many of them (the first ones) are trainable. */
  trainable: number;
}

export interface StepRequest {
  type: 'step';
  id: number;
  x: Float32Array;
  xShape: number[];
  y: Float32Array;
  yShape: number[];
}

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'grads'; id: number; loss: number; count: number }
  | { type: 'error'; id?: number; message: string; stack?: string };
