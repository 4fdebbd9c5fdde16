import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '@kelly/features';
import {
  type AdamW,
  type EarlyStopping,
  type LossFn,
  type NoteDecoding,
  type StepResult,
  trainableVariables,
  trainStep,
} from '@kelly/models';
import type { Run } from '@kelly/tracking';
import { checkpointDir, saveCheckpoint, type TrainingState } from './checkpoint';
import { evaluate, prefixed, type Scores } from './evaluate';
import type { TrainingMedia } from './media/training-media';
import type { Progress } from './progress';
import type { SplitTensors, Task } from './tasks/task';

/** A non-finite training loss: the loop stops before applying that step. */
export class NonFiniteLossError extends Error {
  override name = 'NonFiniteLossError';
  constructor(
    readonly step: number,
    readonly epoch: number,
    readonly loss: number,
    readonly lr: number,
    readonly recentLosses: number[],
  ) {
    super(
      `training loss is ${loss} at step ${step} (epoch ${epoch}, lr ${lr}); last finite losses: ${recentLosses.map((v) => v.toPrecision(5)).join(', ') || 'none'}`,
    );
  }
}

/** Set by the trainer's SIGINT/SIGTERM handler; the loop stops at the next step boundary. */
export interface StopSignal {
  requested: 'SIGINT' | 'SIGTERM' | null;
}

export interface LoopInput {
  task: Task;
  /** The objective (task.makeLoss with the run's options). */
  loss: LossFn;
  dataset: Dataset;
  model: tf.LayersModel;
  optimizer: AdamW;
  early: EarlyStopping;
  state: TrainingState;
  run: Run;
  progress: Progress;
  lrAt: (step: number) => number;
  epochs: number;
  batchSize: number;
  seed: number;
  train: SplitTensors;
  val: SplitTensors;
  artifactDir: string;
  stop: StopSignal;
  /** Melody: the run's note decoding (note-level metrics each epoch). */
  noteDecoding?: NoteDecoding;
  /** Validation-clip media at a few epochs (absent or off: none). */
  media?: TrainingMedia;
  /** Data-parallel gradients (worker threads); absent = compute in this thread with trainStep. */
  parallel?: { gradients(x: tf.Tensor, y: tf.Tensor): Promise<{ loss: number; grads: tf.Tensor[] }> };
}

/** One step through the parallel trainer: averaged worker gradients, then the same AdamW update. */
async function parallelStep(
  input: LoopInput,
  vars: Map<string, tf.Variable>,
  x: tf.Tensor,
  y: tf.Tensor,
  lr: number,
): Promise<StepResult> {
  const { loss, grads } = await input.parallel!.gradients(x, y);
  try {
    if (!Number.isFinite(loss)) return { loss, applied: false };
    const byKey: tf.NamedTensorMap = {};
    [...vars.keys()].forEach((k, i) => {
      const g = grads[i];
      if (g) byKey[k] = g;
    });
    input.optimizer.apply(vars, byKey, lr);
    return { loss, applied: true };
  } finally {
    tf.dispose(grads);
  }
}

export interface LoopOutcome {
  reason: 'completed' | 'early-stopped' | 'interrupted';
  state: TrainingState;
  /** Validation metrics of the last finished epoch (keys `val_*`). */
  lastMetrics: Record<string, number>;
}

/** Deterministic permutation of 0..n-1 for (seed, epoch) — so a resumed run sees the same batches. */
export function epochOrder(n: number, seed: number, epoch: number): Int32Array {
  let s = (seed * 0x9e3779b1 + epoch * 0x85ebca6b + 1) >>> 0;
  const rand = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
  }
  return order;
}

const yieldToEventLoop = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Validation loss + task metrics (prefixed `val_`), and task metrics on up to 64 training clips (`train_`). */
function epochMetrics(input: LoopInput): { metrics: Record<string, number>; valPred: Float32Array } {
  const { model, dataset, val, train } = input;
  const v = evaluate(model, input, { ...val, examples: dataset.validation });
  const nTrain = Math.min(64, train.x.shape[0]);
  const sub = tf.slice(train.x, [0, 0, 0], [nTrain, -1, -1]);
  let t: Scores;
  try {
    t = evaluate(model, input, { x: sub, examples: dataset.train.slice(0, nTrain) });
  } finally {
    sub.dispose();
  }
  return {
    metrics: {
      val_loss: v.loss ?? Number.NaN,
      ...prefixed('val_', v.metrics),
      ...prefixed('train_', t.metrics),
    },
    valPred: v.pred,
  };
}

/**
 * Runs epochs `state.epoch + 1 … epochs`: per step it logs `train_loss` and `lr`; per epoch `epoch_train_loss`,
 * `val_*` metrics, `epoch_time_s`, `samples_per_s` and `best_epoch` (and `media_time_s` where media is due), saves `checkpoints/last` (and `best` on a
 * val_loss improvement above min_delta), and stops early after `patience` epochs without one.
 * @throws NonFiniteLossError on a NaN/Infinity training loss (no checkpoint of the broken weights is written).
 */
export async function trainLoop(input: LoopInput): Promise<LoopOutcome> {
  const { model, optimizer, early, run, progress, train, stop, batchSize, epochs } = input;
  const vars = trainableVariables(model);
  const n = train.x.shape[0];
  const stepsPerEpoch = Math.ceil(n / batchSize);
  let state = { ...input.state };
  let lastMetrics: Record<string, number> = {};
  const recent: number[] = [];
  for (let epoch = state.epoch + 1; epoch <= epochs; epoch++) {
    const order = epochOrder(n, input.seed, epoch);
    const t0 = performance.now();
    let lossSum = 0;
    let seen = 0;
    for (let b = 0; b < stepsPerEpoch; b++) {
      if (stop.requested) return { reason: 'interrupted', state, lastMetrics };
      const idx = tf.tensor1d(order.subarray(b * batchSize, Math.min(n, (b + 1) * batchSize)), 'int32');
      const xb = tf.gather(train.x, idx);
      const yb = tf.gather(train.y, idx);
      const lr = input.lrAt(state.globalStep);
      const result = input.parallel
        ? await parallelStep(input, vars, xb, yb, lr)
        : trainStep(model, vars, optimizer, input.loss, xb, yb, lr);
      const size = idx.shape[0];
      tf.dispose([idx, xb, yb]);
      if (!result.applied)
        throw new NonFiniteLossError(state.globalStep, epoch, result.loss, lr, recent.slice(-5));
      recent.push(result.loss);
      if (recent.length > 5) recent.shift();
      lossSum += result.loss * size;
      seen += size;
      run.logMetrics({ train_loss: result.loss, lr }, { step: state.globalStep, epoch });
      state = { ...state, globalStep: state.globalStep + 1 };
      const elapsed = (performance.now() - t0) / 1000;
      progress.step({
        epoch,
        epochs,
        step: b + 1,
        stepsPerEpoch,
        loss: result.loss,
        samplesPerS: seen / Math.max(elapsed, 1e-9),
      });
      await yieldToEventLoop();
    }
    const trainSeconds = (performance.now() - t0) / 1000;
    const { metrics, valPred } = epochMetrics(input);
    const epochSeconds = (performance.now() - t0) / 1000;
    const verdict = early.update(epoch, metrics.val_loss ?? Number.NaN);
    const samplesPerS = seen / Math.max(trainSeconds, 1e-9);
    state = { ...state, epoch, early: { ...early.state }, elapsedS: state.elapsedS + epochSeconds };
    lastMetrics = metrics;
    run.logMetrics(
      {
        ...metrics,
        epoch_train_loss: lossSum / Math.max(seen, 1),
        epoch_lr: input.lrAt(Math.max(0, state.globalStep - 1)),
        epoch_time_s: epochSeconds,
        samples_per_s: samplesPerS,
        best_epoch: early.state.bestEpoch ?? epoch,
      },
      { step: state.globalStep, epoch },
    );
    if (input.media?.due(epoch)) {
      // Timed apart from the epoch (epoch_time_s excludes it), so its share of an epoch can be read off the run.
      const before = input.media.seconds;
      await input.media.logPredictions(valPred, state.globalStep, epoch, `epoch ${epoch}`);
      run.logMetrics({ media_time_s: input.media.seconds - before }, { step: state.globalStep, epoch });
    }
    if (verdict.improved)
      await saveCheckpoint(checkpointDir(input.artifactDir, 'best'), model, optimizer, state);
    await saveCheckpoint(checkpointDir(input.artifactDir, 'last'), model, optimizer, state);
    const shown: Record<string, number> = { loss: lossSum / Math.max(seen, 1) };
    for (const [k, v] of Object.entries(metrics)) if (k.startsWith('val_')) shown[k] = v;
    progress.epoch({
      epoch,
      epochs,
      metrics: shown,
      seconds: epochSeconds,
      samplesPerS,
      best: verdict.improved,
    });
    if (verdict.stop) return { reason: 'early-stopped', state, lastMetrics };
    if (stop.requested) return { reason: 'interrupted', state, lastMetrics };
  }
  return { reason: 'completed', state, lastMetrics };
}
