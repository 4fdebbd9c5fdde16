import type * as tf from '@tensorflow/tfjs';
import type { Dataset } from '@kelly/features';
import { AdamW, EarlyStopping } from '@kelly/models';
import type { RunHandle } from '@kelly/tracking';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { checkpointDir, loadCheckpoint, type TrainingState } from '../checkpoint';
import type { RunConfig } from '../run-config';
import { TASKS } from '../tasks';
import { computeInputNorm } from '../tasks/input-norm';

/** What the fit stage trains; the caller owns `model` and `optimizer` and disposes them. */
export interface ModelState {
  model: tf.LayersModel;
  optimizer: AdamW;
  early: EarlyStopping;
  state: TrainingState;
}

const FRESH: TrainingState = {
  epoch: 0,
  globalStep: 0,
  early: { best: null, bestEpoch: null, wait: 0 },
  elapsedS: 0,
};

/**
 * Stage 2, model: continues from `checkpoints/last` when resuming (and it exists), else builds the task's
 * model from the dataset's shapes (input normalisation from the training split). Records the model facts.
 */
export async function modelStage(
  run: RunHandle,
  config: RunConfig,
  dataset: Dataset,
  artifactDir: string,
  resume: boolean,
  log: (line: string) => void,
): Promise<ModelState> {
  const task = TASKS[config.model];
  const t = config.training;
  const optimizer = new AdamW({ weightDecay: t.weightDecay, clipNorm: t.clipNorm });
  const earlyOpts = { patience: t.earlyStopping.patience, minDelta: t.earlyStopping.minDelta };
  const lastDir = checkpointDir(artifactDir, 'last');
  let built: ModelState;
  try {
    if (resume && existsSync(join(lastDir, 'state.json'))) {
      const ck = await loadCheckpoint(lastDir, optimizer, earlyOpts);
      built = { model: ck.model, optimizer, early: ck.early, state: ck.state };
      log(`resuming run ${run.id} after epoch ${ck.state.epoch} (step ${ck.state.globalStep})`);
    } else {
      if (resume) log(`run ${run.id} has no checkpoint yet: starting it from epoch 1`);
      const norm = task.normalizesInput ? computeInputNorm(dataset.train, dataset.inputShape[1] ?? 1) : null;
      const model = task.createModel({ ...config.modelConfig, seed: config.seed }, dataset, norm);
      built = { model, optimizer, early: new EarlyStopping({ ...earlyOpts, mode: 'min' }), state: FRESH };
    }
  } catch (e) {
    optimizer.dispose();
    throw e;
  }
  const { model } = built;
  run.setSystem({
    model: {
      name: model.name,
      params: model.countParams(),
      layers: model.layers.map((l) => l.getClassName()),
    },
  });
  return built;
}
