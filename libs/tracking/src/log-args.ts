import type { LogOptions } from './client-api';

/**
 * The checks `logMetrics` makes before buffering, shared by the local and the remote run so both refuse the same
 * input with the same message.
 * @throws when the step is not an integer ≥ 0 or a given epoch is not
 */
export function checkStepEpoch({ step, epoch }: LogOptions): void {
  if (!Number.isInteger(step) || step < 0)
    throw new Error(`logMetrics: step must be an integer ≥ 0, got ${step}`);
  if (epoch !== undefined && (!Number.isInteger(epoch) || epoch < 0))
    throw new Error(`logMetrics: epoch must be an integer ≥ 0, got ${epoch}`);
}

/** @throws when a point's value is not a number (NaN/±Infinity are numbers) or its key is empty */
export function checkPoint(key: string, value: unknown): asserts value is number {
  if (typeof value !== 'number')
    throw new Error(`logMetrics: value of "${key}" must be a number, got ${typeof value}`);
  if (key.length === 0) throw new Error('logMetrics: metric key must not be empty');
}
