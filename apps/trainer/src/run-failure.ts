import type { RunHandle } from '@kelly/tracking';
import { NonFiniteLossError } from './training-loop';

/**
 * Marks `run` FAILED with the error's type, message and stack. A non-finite loss is also logged as the
 * `train_loss` point of its step (so the store's nan_loss/inf_loss rules see it) and summarised in the notes.
 */
export async function recordFailure(run: RunHandle, error: unknown): Promise<void> {
  if (!run.active) return;
  if (error instanceof NonFiniteLossError) {
    run.logMetrics({ train_loss: error.loss }, { step: error.step, epoch: error.epoch });
    run.setNotes(`stopped: ${error.message}`);
  }
  await run.fail(error);
}
