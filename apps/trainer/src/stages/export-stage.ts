import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '@kelly/features';
import type { ToolchainOptions } from '@kelly/rtneural-native';
import type { Run } from '@kelly/tracking';
import { join } from 'node:path';
import { exportAndVerify, type RtneuralVerdict } from '../rtneural-verify';
import type { RunConfig } from '../run-config';
import { TASKS } from '../tasks';

/** Held-out clips the export is checked on: up to 4 of the test split, else of validation. */
const PARITY_CLIPS = 4;

/**
 * Stage 5, export: writes the final model as RTNeural JSON under `rtneural/` and verifies it on held-out
 * clips, in our TypeScript RTNeural and in the real library (see exportAndVerify).
 * @throws ParityError when the export misses the RTNeural contract's tolerance.
 */
export async function exportStage(
  run: Run,
  config: RunConfig,
  dataset: Dataset,
  final: tf.LayersModel,
  artifactDir: string,
  step: number,
  /** Where the native RTNeural check finds its checkout and compiler (else KELLY_RTNEURAL_DIR, g++). */
  toolchain: ToolchainOptions = {},
): Promise<RtneuralVerdict> {
  const task = TASKS[config.model];
  const clips = (dataset.test?.length ? dataset.test : dataset.validation).slice(0, PARITY_CLIPS);
  const heldOut = task.toTensors(clips, dataset);
  try {
    return await exportAndVerify(
      final,
      heldOut.x,
      join(artifactDir, 'rtneural'),
      task.experiment,
      run,
      step,
      toolchain,
    );
  } finally {
    tf.dispose([heldOut.x, heldOut.y]);
  }
}
