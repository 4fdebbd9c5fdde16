import { testStoreLocation } from '@kelly/test-support';
import { describe, expect, it } from 'vitest';
import { checkRunHealth, getRun, importRun, openTracker, type ImportRunInput } from './index';

const curve = (key: string, n: number, f: (i: number) => number, epochs = true) =>
  Array.from({ length: n }, (_, i) => ({ key, step: i, ...(epochs ? { epoch: i } : {}), value: f(i) }));

/** Runs that trip every kind of rule, imported in an order where duplicates and replacements happen. */
const runs: ImportRunInput[] = [
  {
    id: 'a',
    experiment: 'emotionrecognizer',
    status: 'FINISHED',
    startedAt: 1_000,
    durationS: 600,
    config: { model: { num_classes: 7 }, epochs: 30, lr: NaN },
    summary: { final_train_loss: Math.log(7), best_val_loss: Infinity },
    contentHash: 'h1',
    metrics: [...curve('loss', 30, () => Math.log(7)), ...curve('val_loss', 30, (i) => 1 + i / 10)],
  },
  {
    id: 'b',
    experiment: 'groovepredictor',
    status: 'FINISHED',
    startedAt: 500,
    durationS: 2,
    config: { epochs: 50 },
    contentHash: 'h1',
    metrics: [
      { key: 'train_loss', step: 0, value: 0 },
      { key: 'val_loss', step: 1, value: NaN },
      { key: 'val_loss', step: 0, value: -Infinity },
      { key: 'accuracy', step: 0, value: 0.5 },
    ],
  },
  {
    id: 'c',
    experiment: 'melodytransformer',
    status: 'FAILED',
    startedAt: 2_000,
    endedAt: 3_000,
    error: { type: 'OSError', message: '[Errno 2] No such file' },
    metrics: curve('loss', 500, (i) => (i < 250 ? 2 - i / 250 : 1 + (i - 250) / 20), false),
  },
  { id: 'd', experiment: 'melodytransformer', status: 'FINISHED', startedAt: 0, durationS: 100 },
  { id: 'e', experiment: 'melodytransformer', status: 'RUNNING', startedAt: 0, contentHash: 'h2' },
];

describe('importRun health findings', () => {
  it('are the ones the rules give when the run is read back from the store', () => {
    const t = openTracker({ path: testStoreLocation(':memory:'), handleSignals: false });
    const returned = new Map<string, string[]>();
    const details = (id: string) => getRun(t, id).anomalyDetails.map(({ createdAt: _at, ...a }) => a);
    for (const r of [...runs, { ...runs[0]!, contentHash: 'h2', durationS: 5 }])
      returned.set(r.id, importRun(t, r).anomalies);
    for (const { id } of runs) {
      const stored = details(id);
      expect(stored.map((a) => a.rule)).toEqual(returned.get(id) ?? stored.map((a) => a.rule));
      // re-evaluate from what the store holds: the same findings, evidence and first steps
      const reread = checkRunHealth(t.sql, id, t.settings.health);
      expect(details(id)).toEqual(stored);
      expect(reread.map((f) => f.rule)).toEqual(stored.map((a) => a.rule));
    }
    // the replaced `a` (now hash h2, started later than `e`) is a duplicate of `e`; `b` no longer has an earlier twin
    expect(getRun(t, 'a').anomalies).toContain('duplicate');
    expect(getRun(t, 'b').anomalies).not.toContain('duplicate');
    expect(getRun(t, 'e').anomalies).toEqual([]);
    // rollups of the 500-point series: 8 buckets of 64 points, 1 of 4096, min/max over the points
    const buckets = t.sql
      .prepare(
        `SELECT level, count(*) AS n, sum(count) AS points, min(min_value) AS lo, max(max_value) AS hi
         FROM metric_rollups WHERE run_id = 'c' AND key = 'loss' GROUP BY level ORDER BY level`,
      )
      .all();
    expect(buckets).toEqual([
      { level: 1, n: 8, points: 500, lo: 1, hi: 1 + 249 / 20 },
      { level: 2, n: 1, points: 500, lo: 1, hi: 1 + 249 / 20 },
    ]);
    t.close();
  });
});
