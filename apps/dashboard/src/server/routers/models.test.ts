import { TRPCError } from '@trpc/server';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededCaller, type SeededCaller } from '../../../test/support/caller';
import { addPromotableRun, SEED } from '../../../test/support/seed';

let s: SeededCaller;
beforeAll(async () => {
  s = await seededCaller();
}, 60_000);
afterAll(() => s.close());

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: unknown) => (e instanceof TRPCError ? e.code : String(e)),
  );

describe('models router (registry over the real RTNeural validator)', () => {
  it('previews the gates of a healthy run with a valid export: every gate passes, nothing changes', async () => {
    const report = await s.caller.models.preview({ runId: SEED.promotable, alias: 'production' });
    expect(report.failed).toEqual([]);
    expect(report.passed).toBe(true);
    expect(report.gates.find((g) => g.gate === 'rtneural_valid')?.verdict).toBe('pass');
    expect((await s.caller.models.list()).every((m) => m.versions === 0)).toBe(true);
  });

  it('refuses a run whose gates fail (no export, NaN loss) with the failed gates in the message', async () => {
    const report = await s.caller.models.preview({ runId: SEED.nanRun, alias: 'production' });
    expect(report.passed).toBe(false);
    expect(report.failed).toContain('artifact');
    const err = await s.caller.models
      .promote({ runId: SEED.nanRun, alias: 'production' })
      .catch((e: unknown) => e);
    expect(err instanceof TRPCError && err.code).toBe('PRECONDITION_FAILED');
    expect((err as Error).message).toContain('artifact');
  });

  it('promotes to production, publishes, and lists the version with its alias and gate report', async () => {
    const result = await s.caller.models.promote({
      runId: SEED.promotable,
      alias: 'production',
      note: 'first',
      by: 'test',
    });
    expect(result).toMatchObject({
      model: 'groovepredictor',
      version: 1,
      alias: 'production',
      forced: false,
    });
    const published = join(s.home, 'models', 'registry.json');
    expect(existsSync(published)).toBe(true);
    expect(readFileSync(published, 'utf8')).toContain('groovepredictor');
    const model = (await s.caller.models.list()).find((m) => m.name === 'groovepredictor');
    expect(model).toMatchObject({ name: 'groovepredictor', versions: 1, aliases: { production: 1 } });
    const detail = await s.caller.models.get({ name: 'groovepredictor' });
    expect(detail.versions[0]).toMatchObject({ version: 1, runId: SEED.promotable, aliases: ['production'] });
    expect(detail.history[0]).toMatchObject({
      action: 'promote',
      alias: 'production',
      toVersion: 1,
      by: 'test',
      note: 'first',
    });
    expect(detail.history[0]!.gateReport?.passed).toBe(true);
    expect(await codeOf(s.caller.models.get({ name: 'no-such-model' }))).toBe('NOT_FOUND');
  });

  it('rolls production back to the version before, republishing its exact bytes; then refuses to go further', async () => {
    // state from the test above: promotable-run is v1 in production
    const published = join(s.home, 'models', 'groovepredictor.json');
    const v1Bytes = readFileSync(published);
    await addPromotableRun(s.home, 'promotable-run-2', {}, s.store);
    const v2 = await s.caller.models.promote({ runId: 'promotable-run-2', alias: 'production' });
    expect(v2).toMatchObject({ version: 2, fromVersion: 1 });
    expect(readFileSync(published).equals(v1Bytes)).toBe(false);
    const back = await s.caller.models.rollback({
      model: 'groovepredictor',
      alias: 'production',
      reason: 'v2 clicks',
    });
    expect(back).toMatchObject({
      model: 'groovepredictor',
      alias: 'production',
      fromVersion: 2,
      toVersion: 1,
    });
    expect(back.published).not.toBeNull();
    expect(readFileSync(published).equals(v1Bytes)).toBe(true);
    const detail = await s.caller.models.get({ name: 'groovepredictor' });
    expect(detail.history[0]).toMatchObject({
      action: 'rollback',
      alias: 'production',
      fromVersion: 2,
      toVersion: 1,
      reason: 'v2 clicks',
    });
    expect(await codeOf(s.caller.models.rollback({ model: 'groovepredictor', alias: 'production' }))).toBe(
      'NOT_FOUND',
    );
    expect(await codeOf(s.caller.models.rollback({ model: 'no-such-model', alias: 'production' }))).toBe(
      'NOT_FOUND',
    );
  });
});
