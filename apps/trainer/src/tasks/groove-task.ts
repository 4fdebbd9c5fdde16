import type { Dataset } from '@kelly/features';
import { createGroovePredictor, grooveLoss, meanAbsoluteError } from '@kelly/models';
import { clipTensors, concatTargets, tileFrames } from './clip-tensors';
import type { Task } from './task';

/** Targets are trained in units of 10 ms (so the regression starts near unit scale); output × 10 = ms. */
export const GROOVE_UNIT_MS = 10;

function lastStepPredictions(pred: Float32Array, n: number, steps: number, outputs: number): Float32Array {
  const out = new Float32Array(n * outputs);
  for (let i = 0; i < n; i++)
    out.set(pred.subarray((i * steps + steps - 1) * outputs, (i * steps + steps) * outputs), i * outputs);
  return out;
}

/**
 * GroovePredictor: per grid step [velocity, onset offset/100 ms] → the clip's 32 timing offsets (ms / 10),
 * predicted at every step (stream-friendly: the estimate sharpens as the bars play); evaluated at the last step.
 */
export const grooveTask: Task = {
  kind: 'groove',
  experiment: 'groovepredictor',
  normalizesInput: false,
  makeLoss: () => grooveLoss,
  createModel(modelConfig, shapes) {
    return createGroovePredictor({
      ...modelConfig,
      inputDim: shapes.inputShape[1] ?? 2,
      outputs: shapes.outputShape[0] ?? 32,
    });
  },
  toTensors: (examples, dataset) =>
    clipTensors(
      examples,
      dataset,
      dataset.outputShape[0] ?? 32,
      (e, steps) =>
        tileFrames(
          e.y.map((v) => v / GROOVE_UNIT_MS),
          steps,
        ),
      { frames: 32, bands: 2 },
    ),
  evaluate(pred, examples, dataset) {
    const steps = dataset.inputShape[0] ?? 32;
    const outputs = dataset.outputShape[0] ?? 32;
    const lastMs = lastStepPredictions(pred, examples.length, steps, outputs).map((v) => v * GROOVE_UNIT_MS);
    return { mae_ms: meanAbsoluteError(lastMs, concatTargets(examples)) };
  },
  baselineCheck(metrics, dataset: Dataset) {
    const outputs = dataset.outputShape[0] ?? 32;
    const mean = new Float64Array(outputs);
    for (const e of dataset.train)
      e.y.forEach((v, k) => (mean[k] = (mean[k] ?? 0) + v / dataset.train.length));
    const pred = new Float32Array(dataset.validation.length * outputs);
    for (let i = 0; i < dataset.validation.length; i++) pred.set(mean, i * outputs);
    const baselines = { mae_ms_train_mean: meanAbsoluteError(pred, concatTargets(dataset.validation)) };
    const mae = metrics.mae_ms ?? Number.POSITIVE_INFINITY;
    return {
      ok: mae < baselines.mae_ms_train_mean,
      baselines,
      detail: `val MAE ${mae.toFixed(2)} ms vs predicting the training mean ${baselines.mae_ms_train_mean.toFixed(2)} ms`,
    };
  },
  modelCard(dataset, modelConfig) {
    return [
      '# GroovePredictor',
      '',
      `Input per grid step (sixteenth note): ${dataset.inputShape[1] ?? 2} values = [velocity 0…1 (0 = no hit), onset offset against the grid in units of 100 ms].`,
      `Layers: LSTM ${modelConfig.lstm1Units ?? 128} → LSTM ${modelConfig.lstm2Units ?? 64} → dense ${dataset.outputShape[0] ?? 32} (linear).`,
      `Output per step: the groove template — the timing offset of each of the 32 steps of the 2-bar pattern — in units of ${GROOVE_UNIT_MS} ms (multiply by ${GROOVE_UNIT_MS} for ms).`,
      'The estimate is refined as steps arrive; the value after the last step is the one evaluated.',
      'Loss: MSE. Metric: MAE in milliseconds at the last step.',
      '',
    ].join('\n');
  },
};
