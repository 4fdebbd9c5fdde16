import { testStoreLocation } from '@kelly/test-support';
import { describe, expect, it } from 'vitest';
import { importRun, metricKeys, metricSeries, openTracker } from './index';

/** Rollups written incrementally across flushes must equal rollups computed from the stored points. */
describe('metric rollups', () => {
  it('match the stored points after many small flushes, non-finite values left out of min/max', async () => {
    const t = openTracker({ path: testStoreLocation(':memory:'), batchSize: 37 });
    const run = await t.startRun({ experiment: 'x', config: {} });
    const n = 5000;
    const value = (i: number) => (i % 997 === 5 ? Number.NaN : Math.sin(i * 0.37) * (1 + i / 1000));
    for (let i = 0; i < n; i++)
      run.logMetrics({ loss: value(i), acc: i / n }, { step: i * 3, epoch: i >> 8 });
    await run.end();
    for (const [level, size] of [
      [1, 64],
      [2, 4096],
    ] as const) {
      const rows = t.sql
        .prepare(
          `SELECT bucket, count, first_step, last_step, min_value, min_step, max_value, max_step FROM metric_rollups WHERE run_id = ? AND key = 'loss' AND level = ? ORDER BY bucket`,
        )
        .all(run.id, level) as Record<string, number>[];
      expect(rows).toHaveLength(Math.ceil(n / size));
      for (const r of rows) {
        const idx = Array.from(
          { length: Math.min(size, n - r.bucket! * size) },
          (_, k) => r.bucket! * size + k,
        );
        const finite = idx.filter((i) => Number.isFinite(value(i)));
        const min = finite.reduce((a, i) => (value(i) < value(a) ? i : a));
        const max = finite.reduce((a, i) => (value(i) > value(a) ? i : a));
        expect(r).toEqual({
          bucket: r.bucket,
          count: idx.length,
          first_step: idx[0]! * 3,
          last_step: idx.at(-1)! * 3,
          min_value: value(min),
          min_step: min * 3,
          max_value: value(max),
          max_step: max * 3,
        });
      }
    }
    t.close();
  });

  it('an imported series that fits in one finest bucket is stored at the top level only, and still downsamples', () => {
    const t = openTracker({ path: testStoreLocation(':memory:'), handleSignals: false });
    const short = Array.from({ length: 64 }, (_, i) => ({
      key: 'short',
      step: i,
      value: Math.cos(i * 0.7) * (i + 1),
    }));
    const long = Array.from({ length: 65 }, (_, i) => ({ key: 'long', step: i, value: i }));
    importRun(t, {
      id: 'imp',
      experiment: 'x',
      status: 'FINISHED',
      startedAt: 0,
      metrics: [...short, ...long],
    });
    const levels = (key: string) =>
      t.sql
        .prepare(`SELECT level FROM metric_rollups WHERE run_id = 'imp' AND key = ? ORDER BY level, bucket`)
        .pluck()
        .all(key);
    expect(levels('short')).toEqual([2]);
    expect(levels('long')).toEqual([1, 1, 2]);
    expect(metricKeys(t, 'imp')).toEqual(['long', 'short']);
    // 10 points asked: downsampled from the points, extremes kept
    const s = metricSeries(t, { runId: 'imp', key: 'short', maxPoints: 10 })[0]!;
    expect(s.total).toBe(64);
    expect(s.downsampled).toBe(true);
    const values = short.map((p) => p.value);
    const got = s.points.map((p) => p.value);
    expect(got).toContain(Math.min(...values));
    expect(got).toContain(Math.max(...values));
    t.close();
  });
});
