import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededCaller, type SeededCaller } from '../../../test/support/caller';
import { SEED } from '../../../test/support/seed';

let s: SeededCaller;
// seeding spawns a trainer to kill and writes ~1,000 points: longer than the default hook timeout on a busy machine
beforeAll(async () => {
  s = await seededCaller();
}, 60_000);
afterAll(() => s.close());

describe('compare router', () => {
  it('diffs the configs: only optimizer.lr and batch_size differ between the two healthy runs', async () => {
    const c = await s.caller.compare.get({ ids: [SEED.healthyA, SEED.healthyB] });
    expect(c.config.changed.map((x) => x.key).sort()).toEqual(['batch_size', 'optimizer.lr']);
    expect(c.config.changed.find((x) => x.key === 'optimizer.lr')!.values).toEqual({
      [SEED.healthyA]: 0.001,
      [SEED.healthyB]: 0.0003,
    });
    expect(c.config.onlyIn).toEqual([]);
    expect(c.config.same.map((x) => x.key)).toContain('model.architecture');
    expect(c.runs.map((r) => r.id)).toEqual([SEED.healthyA, SEED.healthyB]);
  });

  it('returns one series per run and metric, each ≤ maxPoints, with summaries', async () => {
    const c = await s.caller.compare.get({ ids: [SEED.healthyA, SEED.nanRun], maxPoints: 50 });
    const keys = c.series.map((x) => `${x.runId}:${x.key}`).sort();
    expect(keys).toEqual([
      `${SEED.healthyA}:loss`,
      `${SEED.healthyA}:val_loss`,
      `${SEED.nanRun}:loss`,
      `${SEED.nanRun}:val_loss`,
    ]);
    for (const x of c.series) expect(x.points.length).toBeLessThanOrEqual(50);
    const nanLoss = c.series.find((x) => x.runId === SEED.nanRun && x.key === 'loss')!;
    expect(nanLoss.points.some((p) => p.step === SEED.nanStep && Number.isNaN(p.value))).toBe(true);
    const summary = c.runs.find((r) => r.id === SEED.healthyA)!.metrics.find((m) => m.key === 'loss')!;
    expect(summary.minStep).toBe(199);
  });

  it('refuses fewer than 2 or more than 10 runs, and unknown ids', async () => {
    const code = (p: Promise<unknown>) =>
      p.then(
        () => 'ok',
        (e: unknown) => (e instanceof TRPCError ? e.code : 'other'),
      );
    expect(await code(s.caller.compare.get({ ids: [SEED.healthyA] }))).toBe('BAD_REQUEST');
    expect(await code(s.caller.compare.get({ ids: Array.from({ length: 11 }, (_, i) => `r${i}`) }))).toBe(
      'BAD_REQUEST',
    );
    expect(await code(s.caller.compare.get({ ids: [SEED.healthyA, 'missing'] }))).toBe('NOT_FOUND');
  });
});

describe('anomalies router', () => {
  it('groups flagged runs by rule, errors first, with counts', async () => {
    const { rules } = await s.caller.anomalies.byRule();
    const byRule = Object.fromEntries(rules.map((g) => [g.rule, g.runs.map((r) => r.runId)]));
    expect(byRule.zero_loss).toEqual([SEED.zeroLoss]);
    expect(byRule.nan_loss).toEqual([SEED.nanRun]);
    expect(byRule.failed_with_error).toEqual([SEED.failed]);
    const severities = rules.map((g) => g.severity);
    expect(severities).toEqual([...severities].sort()); // 'error' < 'warning'
    expect(rules.find((g) => g.rule === 'nan_loss')!.count).toBe(1);
  });
});
