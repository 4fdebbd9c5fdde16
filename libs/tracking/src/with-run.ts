import type { RunHandle } from './client-api';
import type { StartRunOptions } from './tracker-options';

/** Runs `fn` inside a run: FINISHED when it returns, FAILED (with the stack) when it throws (the error is re-thrown). */
export async function withRun<T, R extends RunHandle = RunHandle>(
  tracker: { startRun(options: StartRunOptions): Promise<R> },
  options: StartRunOptions,
  fn: (run: R) => Promise<T> | T,
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
