import type * as tf from '@tensorflow/tfjs';
import type { LossFn, ModelSpec, ParallelLoss } from '@kelly/models';
import { TASKS } from './tasks';
import type { LossOptions, ModelKind, ModelShapes } from './tasks/task';

/**
 * What gradient workers import (functions cannot cross threads, so models and losses travel as data:
 * this module's URL, an export name and its arguments). Workers build the same architecture; the parallel
 * trainer copies every weight (the frozen input normalisation included) from the main thread each step, so
 * their own initialisation does not matter.
 */
export interface WorkerModelArgs extends ModelShapes {
  kind: ModelKind;
  modelConfig: Record<string, number>;
}

export function buildWorkerModel(args: WorkerModelArgs): tf.LayersModel {
  return TASKS[args.kind].createModel(args.modelConfig, args, null);
}

/** Arguments of {@link workerLossOf}: the run's loss options (see Task.makeLoss). */
export interface WorkerLossArgs extends LossOptions {
  kind: ModelKind;
}

/** The task's loss inside a worker: the same `makeLoss` the main thread trains with. */
export function workerLossOf(args: WorkerLossArgs): LossFn {
  return TASKS[args.kind].makeLoss(args);
}

const MODULE = new URL('./worker-models.ts', import.meta.url).href;

export function workerModelSpec(args: WorkerModelArgs): ModelSpec {
  return { module: MODULE, exportName: 'buildWorkerModel', args };
}

/** The task's loss as data for the workers, for any loss weights. */
export function workerLoss(kind: ModelKind, weights: LossOptions): ParallelLoss {
  const args: WorkerLossArgs = { kind, ...weights };
  return { module: MODULE, exportName: 'workerLossOf', args };
}
