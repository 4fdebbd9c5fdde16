import type * as tf from '@tensorflow/tfjs';
import type { Dataset } from '@kelly/features';
import { cosineWithWarmup, createParallelTrainer, type LossFn, type ParallelTrainer } from '@kelly/models';
import type { Run } from '@kelly/tracking';
import { checkpointDir, saveCheckpoint } from '../checkpoint';
import type { TrainingMedia } from '../media/training-media';
import type { Progress } from '../progress';
import { lossOptions, type RunConfig } from '../run-config';
import { TASKS } from '../tasks';
import type { SplitTensors } from '../tasks/task';
import { trainLoop, type LoopOutcome, type StopSignal } from '../training-loop';
import { workerLoss, workerModelSpec } from '../worker-models';
import type { ModelState } from './model-stage';

export interface FitInput extends ModelState {
  run: Run;
  config: RunConfig;
  dataset: Dataset;
  loss: LossFn;
  train: SplitTensors;
  val: SplitTensors;
  artifactDir: string;
  progress: Progress;
  stop: StopSignal;
  media: TrainingMedia;
}

/** Worker threads for gradients when the config asks for more than one; null = train in this thread. */
async function startParallel(
  config: RunConfig,
  model: tf.LayersModel,
  dataset: Dataset,
): Promise<ParallelTrainer | null> {
  const workers = config.workers.training;
  if (workers <= 1) return null;
  const args = {
    kind: config.model,
    modelConfig: config.modelConfig,
    inputShape: [...dataset.inputShape],
    outputShape: [...dataset.outputShape],
  };
  return createParallelTrainer({
    model,
    modelSpec: workerModelSpec(args),
    loss: workerLoss(config.model, lossOptions(config)),
    workers,
  });
}

/**
 * Stage 3, fit: the epochs (cosine schedule with warm-up, AdamW, early stopping on val_loss), in worker
 * threads when configured. Logs `checkpoints/last`; on a stop signal it saves that checkpoint first.
 * The worker threads are stopped before it returns or throws.
 */
export async function fitStage(input: FitInput): Promise<LoopOutcome> {
  const { run, config, dataset, model, optimizer, artifactDir } = input;
  const t = config.training;
  const lrAt = cosineWithWarmup({
    baseLr: t.lr,
    warmupEpochs: t.schedule.warmupEpochs,
    totalEpochs: t.epochs,
    stepsPerEpoch: Math.ceil(dataset.train.length / t.batchSize),
    minLr: t.schedule.minLr,
  });
  const parallel = await startParallel(config, model, dataset);
  run.setSystem({ trainingWorkers: parallel?.workers ?? 1 });
  let outcome: LoopOutcome;
  if (input.state.epoch === 0) await input.media.logInputs();
  try {
    outcome = await trainLoop({
      task: TASKS[config.model],
      loss: input.loss,
      dataset,
      model,
      optimizer,
      early: input.early,
      state: input.state,
      run,
      progress: input.progress,
      lrAt,
      epochs: t.epochs,
      batchSize: t.batchSize,
      seed: config.seed,
      train: input.train,
      val: input.val,
      artifactDir,
      stop: input.stop,
      ...(config.noteDecoding ? { noteDecoding: config.noteDecoding } : {}),
      media: input.media,
      ...(parallel ? { parallel } : {}),
    });
  } finally {
    input.progress.stop();
    await parallel?.dispose();
  }
  const lastDir = checkpointDir(artifactDir, 'last');
  if (outcome.reason === 'interrupted') await saveCheckpoint(lastDir, model, optimizer, outcome.state);
  await run.logArtifact(lastDir, { kind: 'checkpoint', name: 'checkpoints/last' });
  return outcome;
}
