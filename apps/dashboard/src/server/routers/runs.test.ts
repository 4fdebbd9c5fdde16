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

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: unknown) => (e instanceof TRPCError ? e.code : String(e)),
  );

describe('runs router (real store)', () => {
  it('lists every run with its status, the killed trainer as CRASHED', async () => {
    const page = await s.caller.runs.list({});
    const status = Object.fromEntries(page.items.map((r) => [r.id, r.status]));
    expect(status).toEqual({
      [SEED.crashed]: 'CRASHED',
      [SEED.healthyA]: 'FINISHED',
      [SEED.healthyB]: 'FINISHED',
      [SEED.zeroLoss]: 'FINISHED',
      [SEED.nanRun]: 'FINISHED',
      [SEED.failed]: 'FAILED',
      [SEED.promotable]: 'FINISHED',
    });
    const zero = page.items.find((r) => r.id === SEED.zeroLoss)!;
    expect(zero.anomalies).toContain('zero_loss');
    expect(zero.finalLoss).toBe(0);
  });

  it('filters by anomaly rule, status and free text', async () => {
    const byRule = await s.caller.runs.list({ anomaly: 'zero_loss' });
    expect(byRule.items.map((r) => r.id)).toEqual([SEED.zeroLoss]);
    const crashed = await s.caller.runs.list({ status: 'CRASHED' });
    expect(crashed.items.map((r) => r.id)).toEqual([SEED.crashed]);
    const text = await s.caller.runs.list({ q: 'shape mismatch' });
    expect(text.items.map((r) => r.id)).toEqual([SEED.failed]);
  });

  it('pages with a cursor: limit+1 gives a cursor, the pages are disjoint and cover every run', async () => {
    const seen: string[] = [];
    let cursor: string | null | undefined;
    let pages = 0;
    do {
      const page = await s.caller.runs.list({ limit: 4, cursor, sort: 'experiment', order: 'asc' });
      seen.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(2);
    expect(new Set(seen).size).toBe(7);
    const experiments = (await s.caller.runs.list({ sort: 'experiment', order: 'asc' })).items.map(
      (r) => r.experiment,
    );
    expect(experiments).toEqual([...experiments].sort());
  });

  it('refuses a cursor that does not decode as BAD_REQUEST naming cursor, not a server error', async () => {
    for (const cursor of [' ', 'garbage', 'W10']) {
      const err = await s.caller.runs.list({ cursor }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TRPCError);
      expect((err as TRPCError).code).toBe('BAD_REQUEST');
      expect((err as TRPCError).message).toMatch(/^cursor: invalid cursor/);
    }
  });

  it('offers facets for the filters', async () => {
    const f = await s.caller.runs.facets();
    expect(f.experiments).toEqual([
      'emotionnodeclassifier',
      'emotionrecognizer',
      'groovepredictor',
      'melodytransformer',
    ]);
    expect(f.rules).toEqual(
      expect.arrayContaining(['zero_loss', 'nan_loss', 'inf_loss', 'failed_with_error']),
    );
    expect(f.tags).toEqual(['seed']);
  });

  it('returns one run with anomaly evidence keeping NaN, and NOT_FOUND for an unknown id', async () => {
    const run = await s.caller.runs.get({ id: SEED.nanRun });
    const nan = run.anomalyDetails.find((a) => a.rule === 'nan_loss')!;
    expect(nan.firstStep).toBe(SEED.nanStep);
    expect(Number.isNaN(nan.evidence.value)).toBe(true);
    expect(run.config).toMatchObject({ optimizer: { lr: 0.1 } });
    expect(await codeOf(s.caller.runs.get({ id: 'no-such-run' }))).toBe('NOT_FOUND');
    expect(await codeOf(s.caller.runs.get({ id: '' }))).toBe('BAD_REQUEST');
  });

  it('serves series with the NaN and +Inf points in place', async () => {
    const series = await s.caller.runs.series({ runId: SEED.nanRun, maxPoints: 1000 });
    const loss = series.find((x) => x.key === 'loss')!;
    expect(loss.points).toHaveLength(120);
    expect(Number.isNaN(loss.points.find((p) => p.step === SEED.nanStep)!.value)).toBe(true);
    expect(loss.points.find((p) => p.step === SEED.nanStep + 1)!.value).toBe(Infinity);
  });

  it('downsamples a long series to ≤ 1,000 points and keeps its NaN', async () => {
    const run = await s.tracker.startRun({ id: 'long-run', experiment: 'bench', config: {} });
    for (let step = 0; step < 20_000; step++)
      run.logMetrics({ loss: step === 12_345 ? NaN : 1 / (1 + step) }, { step });
    await run.end();
    const [loss] = await s.caller.runs.series({ runId: 'long-run', key: 'loss', maxPoints: 1000 });
    expect(loss!.total).toBe(20_000);
    expect(loss!.points.length).toBeLessThanOrEqual(1000);
    expect(loss!.points.length).toBeGreaterThan(500);
    expect(loss!.points.some((p) => p.step === 12_345 && Number.isNaN(p.value))).toBe(true);
  });

  it('edits tags and notes, refusing an empty tag and an unknown run', async () => {
    await s.caller.runs.update({
      id: SEED.healthyB,
      tags: ['baseline', 'baseline', 'lr-sweep'],
      notes: 'keep',
    });
    const run = await s.caller.runs.get({ id: SEED.healthyB });
    expect(run.tags).toEqual(['baseline', 'lr-sweep']);
    expect(run.notes).toBe('keep');
    expect(await codeOf(s.caller.runs.update({ id: SEED.healthyB, tags: [' '] }))).toBe('BAD_REQUEST');
    expect(await codeOf(s.caller.runs.update({ id: 'nope', notes: 'x' }))).toBe('NOT_FOUND');
    expect((await s.caller.runs.list({ tag: 'lr-sweep' })).items.map((r) => r.id)).toEqual([SEED.healthyB]);
  });

  it('has no legacy file for a live run', async () => {
    expect(await s.caller.runs.legacyFile({ id: SEED.healthyA })).toBeNull();
  });
});

describe('runs.media (real store)', () => {
  it('lists the media of several runs in the order asked, by key and step; a bad input is BAD_REQUEST', async () => {
    const a = await s.tracker.startRun({ experiment: 'melodytransformer', config: {} });
    const b = await s.tracker.startRun({ experiment: 'melodytransformer', config: {} });
    const img = { kind: 'image' as const, width: 2, height: 2, rgba: new Uint8Array(16).fill(90) };
    await a.logMedia({ ...img, key: 'clip/x/piano-roll', step: 8, epoch: 2 });
    await a.logMedia({ ...img, key: 'clip/x/piano-roll', step: 4, epoch: 1 });
    await b.logMedia({
      kind: 'audio',
      key: 'clip/x/predicted-audio',
      step: 8,
      samples: new Float32Array(160),
      sampleRate: 16000,
    });
    await a.end();
    await b.end();
    const items = await s.caller.runs.media({ runIds: [b.id, a.id] });
    expect(items.map((m) => [m.runId, m.key, m.step, m.mime])).toEqual([
      [b.id, 'clip/x/predicted-audio', 8, 'audio/wav'],
      [a.id, 'clip/x/piano-roll', 4, 'image/png'],
      [a.id, 'clip/x/piano-roll', 8, 'image/png'],
    ]);
    expect(items[0]!.meta).toEqual({ sampleRate: 16000, durationS: 0.01 });
    expect(await s.caller.runs.media({ runIds: [a.id], key: 'nope' })).toEqual([]);
    expect(await codeOf(s.caller.runs.media({ runIds: [] }))).toBe('BAD_REQUEST');
  });
});
