import type * as tf from '@tensorflow/tfjs';
import type { Dataset } from '@kelly/features';
import {
  emotionLoss,
  emotionNodeLoss,
  grooveLoss,
  weightedMelodyLoss,
  type ModelSpec,
  type ParallelLoss,
} from '@kelly/models';
import { TASKS } from './tasks';
import type { ModelKind } from './tasks/task';

/**
 * What gradient workers import (functions cannot cross threads): the model factory and the losses.
 * Workers build the same architecture; the parallel trainer copies every weight (the frozen input
 * normalisation included) from the main thread each step, so their own initialisation does not matter.
 */
export interface WorkerModelArgs {
  kind: ModelKind;
  modelConfig: Record<string, number>;
  inputShape: number[];
  outputShape: number[];
}

export function buildWorkerModel(args: WorkerModelArgs): tf.LayersModel {
  const shapes = {
    id: 'worker',
    inputShape: args.inputShape,
    outputShape: args.outputShape,
  } as unknown as Dataset; // only the shapes are read
  return TASKS[args.kind].createModel(args.modelConfig, shapes, null);
}

export const melodyBce = weightedMelodyLoss(1);
export const melodyBcePos2 = weightedMelodyLoss(2);
export const melodyBcePos3 = weightedMelodyLoss(3);
export { emotionLoss, emotionNodeLoss, grooveLoss };

const MODULE = new URL('./worker-models.ts', import.meta.url).href;
const MELODY_LOSSES: Record<number, string> = { 1: 'melodyBce', 2: 'melodyBcePos2', 3: 'melodyBcePos3' };

export function workerModelSpec(args: WorkerModelArgs): ModelSpec {
  return { module: MODULE, exportName: 'buildWorkerModel', args };
}

/** The task's loss as workers import it, or null when it has no exported equivalent (then train in one thread). */
export function workerLoss(kind: ModelKind, positiveWeight: number): ParallelLoss | null {
  const exportName =
    kind === 'melody'
      ? MELODY_LOSSES[positiveWeight]
      : kind === 'groove'
        ? 'grooveLoss'
        : kind === 'emotion'
          ? 'emotionLoss'
          : 'emotionNodeLoss';
  return exportName === undefined ? null : { module: MODULE, exportName };
}
