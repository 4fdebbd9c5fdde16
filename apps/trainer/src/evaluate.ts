import * as tf from '@tensorflow/tfjs';
import type { Dataset, Example } from '@kelly/features';
import { predictBatched, type LossFn, type NoteDecoding } from '@kelly/models';
import type { Task } from './tasks/task';

/** What scoring a model needs besides the model: the task's metrics, the objective and the batch size. */
export interface EvalContext {
  task: Task;
  loss: LossFn;
  dataset: Dataset;
  batchSize: number;
  /** Melody: the run's note decoding (note-level metrics). */
  noteDecoding?: NoteDecoding;
}

export interface EvalSplit {
  /** Inputs [n, frames, in] of `examples`, in order. */
  x: tf.Tensor3D;
  /** Targets [n, frames, out]; omit to skip the objective. */
  y?: tf.Tensor3D;
  examples: readonly Example[];
}

export interface Scores {
  /** The objective on (y, predictions); null when no targets were given. */
  loss: number | null;
  /** The task's metrics (keys without a split prefix). */
  metrics: Record<string, number>;
  /** The predictions scored, flat [n, frames, out] (media reuse them: no second inference). */
  pred: Float32Array;
}

/** The one evaluation the loop (every epoch) and the final model share: predict in batches, then score. */
export function evaluate(model: tf.LayersModel, ctx: EvalContext, split: EvalSplit): Scores {
  const pred = predictBatched(model, split.x, ctx.batchSize);
  const { y } = split;
  const loss = y
    ? tf.tidy(() => ctx.loss(y, tf.tensor(pred.data, y.shape)).dataSync()[0] ?? Number.NaN)
    : null;
  return {
    loss,
    metrics: ctx.task.evaluate(pred.data, split.examples, ctx.dataset, ctx.noteDecoding),
    pred: pred.data,
  };
}

/** `metrics` with every key prefixed, e.g. `val_` + `f1`. */
export function prefixed(prefix: string, metrics: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(metrics).map(([k, v]) => [`${prefix}${k}`, v]));
}
