import type * as tf from '@tensorflow/tfjs';
import type { Dataset } from '@kelly/features';
import { loadLayersModel, saveLayersModel, type LossFn } from '@kelly/models';
import type { Run } from '@kelly/tracking';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkpointDir } from '../checkpoint';
import { evaluate, prefixed } from '../evaluate';
import type { TrainingMedia } from '../media/training-media';
import type { RunConfig } from '../run-config';
import { TASKS } from '../tasks';
import type { BaselineCheck, SplitTensors } from '../tasks/task';

/**
 * The model to ship: the best epoch's (lowest val_loss, as Keras' restore_best_weights) when a `best`
 * checkpoint exists, else `model` itself. A loaded model is a new one the caller must dispose.
 */
export async function bestModel(artifactDir: string, model: tf.LayersModel): Promise<tf.LayersModel> {
  const bestDir = checkpointDir(artifactDir, 'best');
  return existsSync(join(bestDir, 'model.json')) ? loadLayersModel(bestDir) : model;
}

export interface FinalizeInput {
  run: Run;
  config: RunConfig;
  dataset: Dataset;
  loss: LossFn;
  /** The model to ship (see {@link bestModel}). */
  final: tf.LayersModel;
  val: SplitTensors;
  bestEpoch: number;
  artifactDir: string;
  /** Where the final metrics are logged. */
  at: { step: number; epoch: number };
  media: TrainingMedia;
}

export interface Finalized {
  /** `final_val_*` task metrics, `final_val_loss`, `best_epoch`, `baseline_*` and `beats_baseline`. */
  metrics: Record<string, number>;
  baseline: BaselineCheck;
}

/**
 * Stage 4, finalize: scores the final model on validation against the task's trivial baselines, logs the
 * figures, saves the model (artifact `model`) and writes its model card.
 */
export async function finalizeStage(input: FinalizeInput): Promise<Finalized> {
  const { run, config, dataset, final, artifactDir } = input;
  const task = TASKS[config.model];
  const t = config.training;
  const scores = evaluate(
    final,
    {
      task,
      loss: input.loss,
      dataset,
      batchSize: t.batchSize,
      ...(config.noteDecoding ? { noteDecoding: config.noteDecoding } : {}),
    },
    { ...input.val, examples: dataset.validation },
  );
  const metrics: Record<string, number> = {
    ...prefixed('final_val_', scores.metrics),
    final_val_loss: scores.loss ?? Number.NaN,
    best_epoch: input.bestEpoch,
  };
  const baseline = task.baselineCheck(scores.metrics, dataset);
  Object.assign(metrics, prefixed('baseline_', baseline.baselines));
  metrics.beats_baseline = baseline.ok ? 1 : 0;
  run.logMetrics(metrics, input.at);
  await input.media.logPredictions(
    scores.pred,
    input.at.step,
    input.bestEpoch,
    `best epoch ${input.bestEpoch}`,
  );
  run.logMetrics({ media_total_s: input.media.seconds }, input.at);

  const modelDir = join(artifactDir, 'model');
  await saveLayersModel(final, modelDir);
  await run.logArtifact(modelDir, { kind: 'model', name: 'model' });
  const cardFile = join(artifactDir, 'model-card.md');
  await writeFile(
    cardFile,
    `${task.modelCard(dataset, { ...config.modelConfig, positiveWeight: t.positiveWeight, onsetWeight: t.onsetWeight, offsetWeight: t.offsetWeight }, config.noteDecoding)}\nBest epoch: ${input.bestEpoch}. ${baseline.detail}.\n`,
  );
  await run.logArtifact(cardFile, { kind: 'model-card' });
  return { metrics, baseline };
}
