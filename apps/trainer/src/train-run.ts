import * as tf from '@tensorflow/tfjs';
import { formatValidationReport, type Dataset } from '@kelly/features';
import {
  AdamW,
  createParallelTrainer,
  type ParallelTrainer,
  cosineWithWarmup,
  EarlyStopping,
  loadLayersModel,
  predictBatched,
  saveLayersModel,
  type BackendInfo,
} from '@kelly/models';
import type { Run, Tracker } from '@kelly/tracking';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkpointDir, loadCheckpoint, saveCheckpoint, type TrainingState } from './checkpoint';
import { datasetInfo, loadDataset, validateFor } from './data-source';
import type { Progress } from './progress';
import type { RunConfig } from './run-config';
import { exportAndVerify, ParityError, type RtneuralVerdict } from './rtneural-verify';
import { TASKS } from './tasks';
import { computeInputNorm } from './tasks/input-norm';
import type { BaselineCheck } from './tasks/task';
import { trainLoop, type StopSignal } from './training-loop';
import { workerLoss, workerModelSpec } from './worker-models';

/** Worker threads for gradients when the config asks for more than one (and the loss can cross threads). */
async function startParallel(
  config: RunConfig,
  model: tf.LayersModel,
  dataset: Dataset,
  log: (line: string) => void,
): Promise<ParallelTrainer | null> {
  const workers = config.workers.training;
  if (workers <= 1) return null;
  const loss = workerLoss(config.model, config.training.positiveWeight);
  if (!loss) {
    log(`training in one thread: positive weight ${config.training.positiveWeight} has no worker-side loss`);
    return null;
  }
  const args = {
    kind: config.model,
    modelConfig: config.modelConfig,
    inputShape: [...dataset.inputShape],
    outputShape: [...dataset.outputShape],
  };
  return createParallelTrainer({ model, modelSpec: workerModelSpec(args), loss, workers });
}

export class DatasetValidationError extends Error {
  override name = 'DatasetValidationError';
}

export interface TrainRunInput {
  tracker: Tracker;
  run: Run;
  config: RunConfig;
  backend: BackendInfo;
  progress: Progress;
  stop: StopSignal;
  /** True when continuing a run from `checkpoints/last`. */
  resume: boolean;
  log: (line: string) => void;
}

export interface TrainRunResult {
  outcome: 'finished' | 'interrupted';
  epochs: number;
  metrics: Record<string, number>;
  baseline: BaselineCheck | null;
  rtneural: RtneuralVerdict | null;
  artifactDir: string;
}

/**
 * Everything between a started run and its final status: data (validated before any training), model,
 * the loop, the final model, RTNeural export with parity. Throws on any failure — the caller marks the run.
 * On SIGINT it saves `checkpoints/last` and returns `interrupted` (the caller marks the run KILLED).
 */
export async function trainRun(input: TrainRunInput): Promise<TrainRunResult> {
  const { run, config, progress, stop, log } = input;
  const task = TASKS[config.model];
  const artifactDir = await run.artifactDir();
  const dataset = await loadDataset({
    kind: config.model,
    source: config.data.source,
    seed: config.data.seed,
    size: config.data.size,
    clipFrames: config.data.clipFrames,
    workers: config.workers.featureExtraction,
    cacheDir: join(input.tracker.paths.home, 'feature-cache'),
  });
  run.setSystem({ dataset: datasetInfo(dataset) });
  const report = validateFor(config.model, dataset);
  const reportFile = join(artifactDir, 'dataset-validation.json');
  await writeFile(reportFile, JSON.stringify(report, null, 2));
  await run.logArtifact(reportFile, { kind: 'validation-report' });
  if (!report.ok) {
    const text = formatValidationReport(report);
    run.setNotes(text);
    throw new DatasetValidationError(
      `dataset ${dataset.id} failed validation: ${report.checks
        .filter((c) => !c.ok)
        .map((c) => `${c.name}: ${c.message}`)
        .join('; ')}`,
    );
  }
  const cardFile = join(artifactDir, 'dataset-card.md');
  await writeFile(cardFile, dataset.card);
  await run.logArtifact(cardFile, { kind: 'dataset-card' });

  const t = config.training;
  const stepsPerEpoch = Math.ceil(dataset.train.length / t.batchSize);
  const lrAt = cosineWithWarmup({
    baseLr: t.lr,
    warmupEpochs: t.schedule.warmupEpochs,
    totalEpochs: t.epochs,
    stepsPerEpoch,
    minLr: t.schedule.minLr,
  });
  const loss = task.makeLoss({ positiveWeight: t.positiveWeight });
  const optimizer = new AdamW({ weightDecay: t.weightDecay, clipNorm: t.clipNorm });
  const earlyOpts = { patience: t.earlyStopping.patience, minDelta: t.earlyStopping.minDelta };
  let model: tf.LayersModel;
  let early: EarlyStopping;
  let state: TrainingState = {
    epoch: 0,
    globalStep: 0,
    early: { best: null, bestEpoch: null, wait: 0 },
    elapsedS: 0,
  };
  const lastDir = checkpointDir(artifactDir, 'last');
  if (input.resume && existsSync(join(lastDir, 'state.json'))) {
    const ck = await loadCheckpoint(lastDir, optimizer, earlyOpts);
    ({ model, early, state } = ck);
    log(`resuming run ${run.id} after epoch ${state.epoch} (step ${state.globalStep})`);
  } else {
    if (input.resume) log(`run ${run.id} has no checkpoint yet: starting it from epoch 1`);
    const norm = task.normalizesInput ? computeInputNorm(dataset.train, dataset.inputShape[1] ?? 1) : null;
    model = task.createModel({ ...config.modelConfig, seed: config.seed }, dataset, norm);
    early = new EarlyStopping({ ...earlyOpts, mode: 'min' });
  }
  run.setSystem({
    model: {
      name: model.name,
      params: model.countParams(),
      layers: model.layers.map((l) => l.getClassName()),
    },
  });

  const train = task.toTensors(dataset.train, dataset);
  const val = task.toTensors(dataset.validation, dataset);
  const parallel = await startParallel(config, model, dataset, log);
  run.setSystem({ trainingWorkers: parallel?.workers ?? 1 });
  try {
    const outcome = await trainLoop({
      task,
      loss,
      dataset,
      model,
      optimizer,
      early,
      state,
      run,
      progress,
      lrAt,
      epochs: t.epochs,
      batchSize: t.batchSize,
      seed: config.seed,
      train,
      val,
      artifactDir,
      stop,
      ...(parallel ? { parallel } : {}),
    });
    progress.stop();
    if (outcome.reason === 'interrupted') {
      await saveCheckpoint(lastDir, model, optimizer, outcome.state);
      await run.logArtifact(lastDir, { kind: 'checkpoint', name: 'checkpoints/last' });
      return {
        outcome: 'interrupted',
        epochs: outcome.state.epoch,
        metrics: outcome.lastMetrics,
        baseline: null,
        rtneural: null,
        artifactDir,
      };
    }
    await run.logArtifact(lastDir, { kind: 'checkpoint', name: 'checkpoints/last' });
    // The final model is the best epoch's (lowest val_loss), as Keras' restore_best_weights.
    const bestDir = checkpointDir(artifactDir, 'best');
    const final = existsSync(join(bestDir, 'model.json')) ? await loadLayersModel(bestDir) : model;
    const bestEpoch = early.state.bestEpoch ?? outcome.state.epoch;
    const pred = predictBatched(final, val.x, t.batchSize);
    const metrics: Record<string, number> = {};
    for (const [k, v] of Object.entries(task.evaluate(pred.data, dataset.validation, dataset)))
      metrics[`final_val_${k}`] = v;
    metrics.final_val_loss = tf.tidy(
      () => loss(val.y, tf.tensor(pred.data, val.y.shape)).dataSync()[0] ?? Number.NaN,
    );
    metrics.best_epoch = bestEpoch;
    const baseline = task.baselineCheck(
      Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k.replace(/^final_val_/, ''), v])),
      dataset,
    );
    for (const [k, v] of Object.entries(baseline.baselines)) metrics[`baseline_${k}`] = v;
    metrics.beats_baseline = baseline.ok ? 1 : 0;
    run.logMetrics(metrics, { step: outcome.state.globalStep, epoch: outcome.state.epoch });

    const modelDir = join(artifactDir, 'model');
    await saveLayersModel(final, modelDir);
    await run.logArtifact(modelDir, { kind: 'model', name: 'model' });
    const cardFile2 = join(artifactDir, 'model-card.md');
    await writeFile(
      cardFile2,
      `${task.modelCard(dataset, { ...config.modelConfig, positiveWeight: t.positiveWeight })}\nBest epoch: ${bestEpoch}. ${baseline.detail}.\n`,
    );
    await run.logArtifact(cardFile2, { kind: 'model-card' });

    const heldOut = task.toTensors(
      (dataset.test?.length ? dataset.test : dataset.validation).slice(0, 4),
      dataset,
    );
    let verdict: RtneuralVerdict;
    try {
      verdict = await exportAndVerify(
        final,
        heldOut.x,
        join(artifactDir, 'rtneural'),
        task.experiment,
        run,
        outcome.state.globalStep,
      );
    } finally {
      tf.dispose([heldOut.x, heldOut.y]);
    }
    if (final !== model) final.dispose();
    if (!verdict.passed)
      throw new ParityError(
        `RTNeural parity failed: max |tfjs − RTNeural| = ${verdict.maxAbsErr} > 1e-4 on ${verdict.clips} held-out clips (report: rtneural/parity-report.json)`,
      );
    return {
      outcome: 'finished',
      epochs: outcome.state.epoch,
      metrics,
      baseline,
      rtneural: verdict,
      artifactDir,
    };
  } finally {
    progress.stop();
    await parallel?.dispose();
    tf.dispose([train.x, train.y, val.x, val.y]);
    model.dispose();
    optimizer.dispose();
  }
}
