import type { Run } from './run';
import type { StartRunOptions, Tracker } from './tracker';

/** Runs `fn` inside a run: FINISHED when it returns, FAILED (with the stack) when it throws (the error is re-thrown). */
export async function withRun<T>(
  tracker: Tracker,
  options: StartRunOptions,
  fn: (run: Run) => Promise<T> | T,
): Promise<T> {
  const run = await tracker.startRun(options);
  try {
    const result = await fn(run);
    await run.end();
    return result;
  } catch (e) {
    await run.fail(e);
    throw e;
  }
}
