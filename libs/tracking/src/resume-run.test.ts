import { testStoreLocation } from '@kelly/test-support';
import { describe, expect, it } from 'vitest';
import { getRun, importRun, metricSeries, openTracker, RunNotFoundError, type Tracker } from './index';

/** Rollup rows of one series, as stored. */
const rollupRows = (t: Tracker, runId: string, key: string) =>
  t.sql
    .prepare(
      `SELECT level, bucket, count, first_step, last_step, min_value, min_step, max_value, max_step
       FROM metric_rollups WHERE run_id = ? AND key = ? ORDER BY level, bucket`,
    )
    .all(runId, key);

describe('tracker.resumeRun', () => {
  it('continues a killed run: same id, RUNNING again, series and their rollups extended, not restarted', async () => {
    const value = (i: number) => Math.sin(i * 0.37) * (1 + i / 700);
    const log = (
      run: { logMetrics: (v: Record<string, number>, o: { step: number }) => void },
      from: number,
      to: number,
    ) => {
      for (let i = from; i < to; i++) run.logMetrics({ loss: value(i) }, { step: i });
    };
    const resumed = openTracker({ path: testStoreLocation(':memory:'), batchSize: 97, handleSignals: false });
    const first = await resumed.startRun({ experiment: 'x', config: { lr: 0.1 } });
    log(first, 0, 4200); // past a full 4096-point top-level bucket and mid-way through a 64-point one
    await first.kill('SIGINT');
    expect(getRun(resumed, first.id).status).toBe('KILLED');
    const again = resumed.resumeRun(first.id);
    expect(again.id).toBe(first.id);
    const mid = getRun(resumed, first.id);
    expect(mid.status).toBe('RUNNING');
    expect(mid.errorMessage).toBeNull();
    expect(mid.endedAt).toBeNull();
    log(again, 4200, 9000);
    await again.end();
    expect(getRun(resumed, first.id).status).toBe('FINISHED');
    expect(metricSeries(resumed, { runId: first.id, key: 'loss', maxPoints: 100_000 })[0]!.total).toBe(9000);

    // the same points logged in one go give the same rollups
    const straight = openTracker({
      path: testStoreLocation(':memory:'),
      batchSize: 97,
      handleSignals: false,
    });
    const one = await straight.startRun({ experiment: 'x', config: { lr: 0.1 } });
    log(one, 0, 9000);
    await one.end();
    expect(rollupRows(resumed, first.id, 'loss')).toEqual(rollupRows(straight, one.id, 'loss'));
    resumed.close();
    straight.close();
  });

  it('refuses unknown ids, runs that did not stop, and legacy runs, naming why', async () => {
    const t = openTracker({ path: testStoreLocation(':memory:'), handleSignals: false });
    expect(() => t.resumeRun('nope')).toThrow(RunNotFoundError);
    const run = await t.startRun({ experiment: 'x', config: {} });
    expect(() => t.resumeRun(run.id)).toThrow(/is RUNNING; only KILLED, FAILED, CRASHED/);
    await run.end();
    expect(() => t.resumeRun(run.id)).toThrow(/is FINISHED/);
    importRun(t, { id: 'old', experiment: 'x', status: 'KILLED', startedAt: 0 });
    expect(() => t.resumeRun('old')).toThrow(/legacy run; only live runs/);
    t.close();
  });
});
