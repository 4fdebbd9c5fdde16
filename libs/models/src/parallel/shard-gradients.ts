import * as tf from '@tensorflow/tfjs';

/** Losses the parallel trainer knows, by their tfjs/Keras names (mean over every element but the batch). */
export type ParallelLossName =
  'binaryCrossentropy' | 'meanSquaredError' | 'meanAbsoluteError' | 'categoricalCrossentropy';

export const PARALLEL_LOSS_NAMES: readonly ParallelLossName[] = [
  'binaryCrossentropy',
  'meanSquaredError',
  'meanAbsoluteError',
  'categoricalCrossentropy',
];

/** Scalar loss as `model.fit` reports it: the Keras per-sample loss (tf.metrics.*) averaged. */
export function lossValue(name: ParallelLossName, yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    switch (name) {
      case 'binaryCrossentropy':
        return tf.mean(tf.metrics.binaryCrossentropy(yTrue, yPred));
      case 'meanSquaredError':
        return tf.mean(tf.metrics.meanSquaredError(yTrue, yPred));
      case 'meanAbsoluteError':
        return tf.mean(tf.metrics.meanAbsoluteError(yTrue, yPred));
      case 'categoricalCrossentropy':
        return tf.mean(tf.metrics.categoricalCrossentropy(yTrue, yPred));
    }
  });
}

/** A loss on (target, prediction), returning the scalar batch mean. */
export type ParallelLossFn = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar;

/**
 * A loss described as data (functions cannot cross threads): a Keras name, or a module export every worker
 * imports. Without `args` the export is the loss `(yTrue, yPred) => tf.Scalar`; with `args` (structured-
 * cloneable, e.g. `{ positiveWeight: 2.5 }`) it is a factory called once with them that returns the loss.
 */
export type ParallelLoss = ParallelLossName | { module: string; exportName: string; args?: unknown };

/** Resolves a {@link ParallelLoss} to a function (imports the module for a custom loss). */
export async function resolveLoss(loss: ParallelLoss): Promise<ParallelLossFn> {
  if (typeof loss === 'string') {
    if (!PARALLEL_LOSS_NAMES.includes(loss)) {
      throw new Error(
        `unknown loss '${String(loss)}' (known: ${PARALLEL_LOSS_NAMES.join(', ')}, or { module, exportName })`,
      );
    }
    return (yTrue, yPred) => lossValue(loss, yTrue, yPred);
  }
  const mod = (await import(/* @vite-ignore */ loss.module)) as Record<string, unknown>;
  const fn = mod[loss.exportName];
  if (typeof fn !== 'function')
    throw new Error(`loss: ${loss.module} has no function export '${loss.exportName}'`);
  if (loss.args === undefined) return fn as ParallelLossFn;
  const made = (fn as (args: unknown) => unknown)(loss.args);
  if (typeof made !== 'function')
    throw new Error(`loss: ${loss.module} '${loss.exportName}'(args) did not return a loss function`);
  return made as ParallelLossFn;
}

/**
 * Every weight the workers mirror, in the shared-buffer order: trainable weights first (the ones with
 * gradients), then non-trainable ones (constants such as an input normalisation, copied each step).
 */
export function syncedWeights(model: tf.LayersModel): tf.LayerVariable[] {
  return [...model.trainableWeights, ...model.nonTrainableWeights];
}

/** Offsets and sizes (in floats) of weights with these shapes laid end to end. */
export function weightLayout(shapes: number[][]): { sizes: number[]; offsets: number[]; total: number } {
  const sizes = shapes.map((s) => s.reduce((a, b) => a * b, 1));
  const offsets: number[] = [];
  let total = 0;
  for (const size of sizes) {
    offsets.push(total);
    total += size;
  }
  return { sizes, offsets, total };
}

/** Trainable variables of a model in `model.trainableWeights` order (the order gradients travel in). */
export function trainableVariables(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

/**
 * Loss of one shard (mean over its samples) and its gradient w.r.t. every trainable weight, in
 * `model.trainableWeights` order, each written into `out[i]` (same sizes as the weights). Runs the model
 * with `training: true` (dropout on). Allocates no tensor that outlives the call.
 */
export function shardGradients(
  model: tf.LayersModel,
  loss: ParallelLossFn,
  x: tf.Tensor,
  y: tf.Tensor,
  out: Float32Array[],
): number {
  const vars = trainableVariables(model);
  const { value, grads } = tf.variableGrads(() => {
    const pred = model.apply(x, { training: true }) as tf.Tensor;
    return loss(y, pred);
  }, vars);
  vars.forEach((v, i) => {
    const g = grads[v.name];
    const target = out[i];
    if (!g || !target) throw new Error(`shardGradients: no gradient for weight ${i} (${v.name})`);
    target.set(g.dataSync());
  });
  const lossNumber = value.dataSync()[0]!;
  tf.dispose([value, ...Object.values(grads)]);
  return lossNumber;
}
