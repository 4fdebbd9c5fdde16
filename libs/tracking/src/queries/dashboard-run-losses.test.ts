import { testStoreLocation } from '@kelly/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { importRun, openTracker, runLosses } from '../index';

const base = { experiment: 'melodytransformer', status: 'FINISHED' as const, source: 'legacy' as const };

describe('runLosses', () => {
  const t = openTracker({ path: testStoreLocation(':memory:') });
  afterAll(() => t.close());

  it('takes the lowest finite validation loss', () => {
    importRun(t, {
      ...base,
      id: 'ok',
      startedAt: 0,
      config: {},
      metrics: [0.9, 0.4, 0.6].map((value, step) => ({ key: 'val_loss', step, epoch: step, value })),
    });
    expect(runLosses(t, 'ok', null).bestLoss).toBe(0.4);
  });

  it('a diverged run with no finite validation loss reads non-finite, never blank', () => {
    importRun(t, {
      ...base,
      id: 'diverged',
      startedAt: 0,
      config: {},
      metrics: [{ key: 'val_loss', step: 0, epoch: 0, value: Number.NaN }],
    });
    expect(runLosses(t, 'diverged', null).bestLoss).toBeNaN();
    // the legacy file's own best_val_loss wins over the series' last value
    expect(runLosses(t, 'diverged', { best_val_loss: 'Infinity' }).bestLoss).toBe(Infinity);
  });
});
