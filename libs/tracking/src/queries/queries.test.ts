import { testStoreLocation } from '@kelly/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import {
  compareRuns,
  getRun,
  importRun,
  listAnomalies,
  listRuns,
  metricSeries,
  openTracker,
  RunNotFoundError,
  toJsonSafe,
} from '../index';

const t = openTracker({ path: testStoreLocation(':memory:') });
afterAll(() => t.close());
const outer = t;
const T0 = 1_700_000_000_000;
// 25 runs: 3 experiments, mixed status/source/tags; run-07 has NaN loss, run-13 is too short (20 of 50 epochs)
for (let i = 0; i < 25; i++) {
  const id = `run-${String(i).padStart(2, '0')}`;
  importRun(t, {
    id,
    experiment: ['melodytransformer', 'groovepredictor', 'emotionrecognizer'][i % 3]!,
    status: i % 5 === 4 ? 'FAILED' : 'FINISHED',
    source: i % 2 ? 'legacy' : 'live',
    startedAt: T0 + i * 60_000,
    durationS: i === 13 ? 3 : 300 + i,
    tags: i % 4 === 0 ? ['baseline'] : [],
    notes: i === 20 ? 'the one with the big batch' : null,
    config: {
      lr: i === 20 ? 0.01 : 0.001,
      batch: { size: i === 20 ? 256 : 32 },
      ...(i === 13 ? { epochs: 50 } : {}),
      ...(i === 21 ? { optimizer: { name: 'adamw' }, layers: [256, 128], extra: {} } : {}),
    },
    error: i % 5 === 4 ? { type: 'ValueError', message: 'boom' } : null,
    metrics: Array.from({ length: 20 }, (_, s) => ({
      key: 'loss',
      step: s,
      epoch: s,
      value: i === 7 && s === 5 ? Number.NaN : 1 / (s + 1),
    })),
  });
}

describe('listRuns', () => {
  it('pages newest first with a cursor, every run exactly once', () => {
    const seen: string[] = [];
    let cursor: string | null | undefined;
    do {
      const page = listRuns(t, { limit: 7, cursor });
      expect(page.items.length).toBeLessThanOrEqual(7);
      seen.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => `run-${String(24 - i).padStart(2, '0')}`));
  });

  it('sorts ascending by duration', () => {
    const ids = listRuns(t, { sort: 'durationS', order: 'asc', limit: 3 }).items.map((r) => r.id);
    expect(ids).toEqual(['run-13', 'run-00', 'run-01']);
  });

  it('filters by experiment, status, source, tag, anomaly and free text', () => {
    const ids = (input: Parameters<typeof listRuns>[1]) =>
      listRuns(t, { ...input, limit: 100 })
        .items.map((r) => r.id)
        .sort();
    expect(ids({ experiment: 'groovepredictor' })).toHaveLength(8);
    expect(ids({ status: 'FAILED' })).toEqual(['run-04', 'run-09', 'run-14', 'run-19', 'run-24']);
    expect(ids({ source: 'legacy', status: 'FAILED' })).toEqual(['run-09', 'run-19']);
    expect(ids({ tag: 'baseline' })).toEqual([
      'run-00',
      'run-04',
      'run-08',
      'run-12',
      'run-16',
      'run-20',
      'run-24',
    ]);
    expect(ids({ anomaly: 'nan_loss' })).toEqual(['run-07']);
    expect(ids({ anomaly: 'too_short' })).toEqual(['run-13']);
    expect(ids({ q: 'big batch' })).toEqual(['run-20']);
    expect(ids({ q: 'batch.size=256' })).toEqual(['run-20']);
    expect(ids({ q: '100%' })).toEqual([]);
    // params as flattenConfig shows them: strings quoted, an array is one leaf, an empty object a leaf
    expect(ids({ q: 'optimizer.name="adamw"' })).toEqual(['run-21']);
    expect(ids({ q: 'layers=[256,128]' })).toEqual(['run-21']);
    expect(ids({ q: 'layers[0]' })).toEqual([]);
    expect(ids({ q: 'extra={}' })).toEqual(['run-21']);
    expect(ids({ q: 'lr=0.01' })).toEqual(['run-20']);
  });

  it('carries the anomaly rule names of each run', () => {
    const r7 = listRuns(t, { q: 'run-07' }).items[0]!;
    expect(r7).toMatchObject({ id: 'run-07', anomalies: ['nan_loss'], severity: 'error' });
    expect(() => listRuns(t, { cursor: 'garbage' })).toThrow(/invalid cursor/);
  });
});

describe('getRun / compareRuns / listAnomalies', () => {
  it('getRun throws RunNotFoundError for an unknown id', () => {
    expect(() => getRun(t, 'nope')).toThrow(RunNotFoundError);
  });

  it('compareRuns diffs configs: changed keys and keys only in some runs', () => {
    importRun(t, {
      id: 'extra',
      experiment: 'x',
      status: 'FINISHED',
      startedAt: T0,
      durationS: 100,
      config: { lr: 0.001, dropout: 0.2, batch: { size: 32 } },
    });
    const c = compareRuns(t, { ids: ['run-00', 'run-20', 'extra'] });
    expect(c.config.changed).toEqual([
      { key: 'batch.size', values: { 'run-00': 32, 'run-20': 256, extra: 32 } },
      { key: 'lr', values: { 'run-00': 0.001, 'run-20': 0.01, extra: 0.001 } },
    ]);
    // a legacy run's TrainConfig field appears under the trainer's key, its own key kept beside it
    expect(c.config.onlyIn).toEqual([
      {
        key: 'modelConfig.dropout',
        runs: ['extra'],
        values: { extra: 0.2 },
        label: 'dropout',
        rawKeys: { extra: 'dropout' },
      },
    ]);
    expect(c.runs.map((r) => r.metrics.map((m) => m.key))).toEqual([['loss'], ['loss'], []]);
    expect(() => compareRuns(t, { ids: ['run-00', 'missing'] })).toThrow(/unknown run id "missing"/);
  });

  it('listAnomalies groups by rule with counts', () => {
    const a = listAnomalies(t);
    const byRule = Object.fromEntries(a.rules.map((g) => [g.rule, g.count]));
    expect(byRule).toMatchObject({ nan_loss: 1, too_short: 1, failed_with_error: 5 });
    expect(a.rules[0]!.rule).toBe('nan_loss'); // rule order: errors first
    expect(a.total).toBe(a.rules.reduce((n, g) => n + g.count, 0));
  });
});

describe('downsampling', () => {
  const t = openTracker({ path: testStoreLocation(':memory:') }); // its own store: the other suites count runs
  afterAll(() => t.close());
  const N = 50_000;
  const nanSteps = [1234, 30_001];
  const value = (i: number) =>
    nanSteps.includes(i)
      ? Number.NaN
      : i === 40_000
        ? Number.NEGATIVE_INFINITY
        : i === 45_678
          ? 0
          : 1 + Math.sin(i / 300) + (i === 25_000 ? 5 : 0);
  importRun(t, {
    id: 'long',
    experiment: 'x',
    status: 'FINISHED',
    startedAt: T0,
    durationS: 3600,
    metrics: Array.from({ length: N }, (_, i) => ({
      key: 'loss',
      step: i,
      epoch: Math.floor(i / 1000),
      value: value(i),
      wallTime: T0 + i * 10,
    })),
  });

  it('returns ≤ maxPoints with first, last, every non-finite and zero-loss point, and the spike', () => {
    for (const maxPoints of [1000, 200]) {
      const [s] = metricSeries(t, { runId: 'long', key: 'loss', maxPoints });
      expect(s!.total).toBe(N);
      expect(s!.downsampled).toBe(true);
      expect(s!.points.length).toBeLessThanOrEqual(maxPoints);
      expect(s!.points.length).toBeGreaterThan(maxPoints * 0.8);
      const steps = s!.points.map((p) => p.step);
      expect(steps).toEqual([...steps].sort((a, b) => a - b));
      expect(steps).toEqual(expect.arrayContaining([0, N - 1, ...nanSteps, 40_000, 45_678, 25_000]));
      for (const p of s!.points) expect(Object.is(p.value, value(p.step))).toBe(true);
    }
  });

  it('keeps the anomaly-flagged point and gives x for the chosen axis', () => {
    const flagged = getRun(t, 'long').anomalyDetails.find((a) => a.rule === 'nan_loss')!;
    expect(flagged.firstStep).toBe(1234);
    const [byTime] = metricSeries(t, { runId: 'long', maxPoints: 100, axis: 'time' });
    const p = byTime!.points.find((x) => x.step === 1234)!;
    expect(p.x).toBeCloseTo(12.34, 5);
    const [byEpoch] = metricSeries(t, { runId: 'long', maxPoints: 100, axis: 'epoch' });
    expect(byEpoch!.points.at(-1)!.x).toBe(49);
  });

  it('short series come back whole', () => {
    const [s] = metricSeries(outer, { runId: 'run-07', key: 'loss' });
    expect(s!.downsampled).toBe(false);
    expect(toJsonSafe(s!.points.map((p) => p.value))).toContain('NaN');
    expect(s!.points).toHaveLength(20);
  });
});
