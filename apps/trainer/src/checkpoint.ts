import * as tf from '@tensorflow/tfjs';
import {
  AdamW,
  EarlyStopping,
  loadLayersModel,
  loadNamedTensors,
  saveLayersModel,
  saveNamedTensors,
} from '@kelly/models';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

/** Loop position saved with every checkpoint; `epoch` = epochs completed. */
export const TrainingStateSchema = z.object({
  epoch: z.number().int().min(0),
  globalStep: z.number().int().min(0),
  early: z.object({
    best: z.number().nullable(),
    bestEpoch: z.number().int().nullable(),
    wait: z.number().int().min(0),
  }),
  elapsedS: z.number().min(0),
});
export type TrainingState = z.infer<typeof TrainingStateSchema>;

/** `<artifactDir>/checkpoints/<name>`: `last` (after every epoch and on SIGINT) and `best`. */
export function checkpointDir(artifactDir: string, name: 'last' | 'best'): string {
  return join(artifactDir, 'checkpoints', name);
}

/**
 * Writes model.json + weights.bin (tfjs layers format), optimizer.{json,bin} and state.json into `dir`,
 * atomically (a temp directory renamed over the old one), so a kill mid-write keeps the previous checkpoint.
 */
export async function saveCheckpoint(
  dir: string,
  model: tf.LayersModel,
  optimizer: AdamW,
  state: TrainingState,
): Promise<void> {
  const tmp = `${dir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  await saveLayersModel(model, tmp);
  const opt = optimizer.getState();
  await saveNamedTensors(tmp, 'optimizer', opt.tensors, { step: opt.step });
  await writeFile(join(tmp, 'state.json'), JSON.stringify(state));
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
}

export interface LoadedCheckpoint {
  model: tf.LayersModel;
  optimizer: AdamW;
  early: EarlyStopping;
  state: TrainingState;
}

/** Reads a checkpoint written by {@link saveCheckpoint}; the optimizer gets `optimizerOptions` and the saved slots. */
export async function loadCheckpoint(
  dir: string,
  optimizer: AdamW,
  early: { patience: number; minDelta: number },
): Promise<LoadedCheckpoint> {
  const stateFile = join(dir, 'state.json');
  const state = TrainingStateSchema.parse(JSON.parse(await readFile(stateFile, 'utf8')));
  const model = await loadLayersModel(dir);
  const { meta, tensors } = await loadNamedTensors(dir, 'optimizer');
  optimizer.setState({ step: Number(meta.step ?? 0), tensors });
  tf.dispose(Object.values(tensors));
  return { model, optimizer, early: new EarlyStopping({ ...early, mode: 'min' }, state.early), state };
}
