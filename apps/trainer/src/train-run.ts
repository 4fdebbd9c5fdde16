import * as tf from '@tensorflow/tfjs';
import type { BackendInfo } from '@kelly/models';
import type { ToolchainOptions } from '@kelly/rtneural-native';
import type { Run, Tracker } from '@kelly/tracking';
import type { Progress } from './progress';
import type { RtneuralVerdict } from './rtneural-verify';
import { lossOptions, type RunConfig } from './run-config';
import { dataStage } from './stages/data-stage';
import { exportStage } from './stages/export-stage';
import { fitStage } from './stages/fit-stage';
import { bestModel, finalizeStage } from './stages/finalize-stage';
import { modelStage } from './stages/model-stage';
import { TrainingMedia } from './media/training-media';
import { TASKS } from './tasks';
import type { BaselineCheck, SplitTensors } from './tasks/task';
import type { StopSignal } from './training-loop';

export { DatasetValidationError } from './stages/data-stage';

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
  /** Checkout and compiler for the native RTNeural check (from the trainer's env). */
  native?: ToolchainOptions;
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
 * Everything between a started run and its final status, as five stages: data (validated before any
 * training) → model → fit → finalize (the best epoch's model, scored and saved) → export (RTNeural, with
 * parity). Throws on any failure — the caller marks the run. On SIGINT it saves `checkpoints/last` and
 * returns `interrupted` (the caller marks the run KILLED). Every tensor, model, optimizer and worker thread
 * it creates is released before it returns or throws.
 */
export async function trainRun(input: TrainRunInput): Promise<TrainRunResult> {
  const { run, config, progress, stop, log } = input;
  const task = TASKS[config.model];
  const artifactDir = await run.artifactDir();
  const dataset = await dataStage(input.tracker, run, config, artifactDir);
  const built = await modelStage(run, config, dataset, artifactDir, input.resume, log);
  const loss = task.makeLoss(lossOptions(config));
  const media = new TrainingMedia(run, config, dataset, log);
  const tensors: SplitTensors[] = [];
  let final: tf.LayersModel | null = null;
  try {
    const train = task.toTensors(dataset.train, dataset);
    tensors.push(train);
    const val = task.toTensors(dataset.validation, dataset);
    tensors.push(val);
    const outcome = await fitStage({
      ...built,
      run,
      config,
      dataset,
      loss,
      train,
      val,
      artifactDir,
      progress,
      stop,
      media,
    });
    const { epoch, globalStep } = outcome.state;
    if (outcome.reason === 'interrupted')
      return {
        outcome: 'interrupted',
        epochs: epoch,
        metrics: outcome.lastMetrics,
        baseline: null,
        rtneural: null,
        artifactDir,
      };
    final = await bestModel(artifactDir, built.model);
    const { metrics, baseline } = await finalizeStage({
      run,
      config,
      dataset,
      loss,
      final,
      val,
      bestEpoch: built.early.state.bestEpoch ?? epoch,
      artifactDir,
      at: { step: globalStep, epoch },
      media,
    });
    const rtneural = await exportStage(run, config, dataset, final, artifactDir, globalStep, input.native);
    return { outcome: 'finished', epochs: epoch, metrics, baseline, rtneural, artifactDir };
  } finally {
    progress.stop();
    for (const t of tensors) tf.dispose([t.x, t.y]);
    if (final && final !== built.model) final.dispose();
    built.model.dispose();
    built.optimizer.dispose();
  }
}
