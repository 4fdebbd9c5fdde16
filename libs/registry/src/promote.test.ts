/* eslint-disable @typescript-eslint/no-explicit-any -- tests read parsed JSON documents freely */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Tracker } from '@kelly/tracking';
import type { GateName } from './gates';
import { promote, previewGates, PromotionRefusedError } from './promote';
import { sha256Hex } from './publish';
import { getModel, listModels, versionGateReport } from './queries';
import {
  acceptAll,
  craftRun,
  logHeldOut,
  nativePass,
  tempTracker,
  writeCraftedModel,
} from './test-support/craft-run';
import { ajv, kellyFixtures } from './test-support/schema-check';

const trackers: Tracker[] = [];
const open = () => {
  const t = tempTracker();
  trackers.push(t);
  return t;
};
afterEach(() => {
  for (const t of trackers.splice(0)) t.close();
});

/** Promotion must be refused with exactly `gate` (plus `alsoFailing`) failing, leaving no alias and no files. */
async function expectRefused(
  t: Tracker,
  runId: string,
  gate: GateName,
  extra: Partial<Parameters<typeof promote>[1]> = {},
  alsoFailing: GateName[] = [],
) {
  const out = join(t.paths.home, 'out');
  const err = await promote(t, {
    runId,
    alias: 'production',
    outDir: out,
    validateModel: acceptAll,
    checkNative: nativePass,
    ...extra,
  }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PromotionRefusedError);
  const report = (err as PromotionRefusedError).report;
  expect(report.failed.sort()).toEqual([gate, ...alsoFailing].sort());
  expect(report.gates.find((g) => g.gate === gate)?.verdict).toBe('fail');
  expect(existsSync(join(out, 'registry.json'))).toBe(false);
  expect(listModels(t).flatMap((m) => Object.keys(m.aliases))).toEqual([]);
  return report;
}

describe('promote (real SQLite store, crafted runs)', () => {
  it.skipIf(!kellyFixtures.present)(
    `publishes a passing run: model file, registry.json valid against the real schema, version, alias, gate report (${kellyFixtures.needs})`,
    async () => {
      const t = open();
      const runId = await craftRun(t);
      const out = join(t.paths.home, 'plugin-models');
      const r = await promote(t, {
        runId,
        alias: 'production',
        outDir: out,
        by: 'ana',
        note: 'first',
        validateModel: acceptAll,
        checkNative: nativePass,
      });
      expect(r).toMatchObject({
        model: 'melodytransformer',
        version: 1,
        alias: 'production',
        fromVersion: null,
        forced: false,
      });
      expect(r.gateReport.gates.map((g) => [g.gate, g.verdict])).toEqual([
        ['artifact', 'pass'],
        ['run_finished', 'pass'],
        ['no_error_anomalies', 'pass'],
        ['rtneural_valid', 'pass'],
        ['parity', 'pass'],
        ['realtime', 'pass'],
        ['native-rtneural', 'pass'],
        ['no_regression', 'pass'],
      ]);
      const bytes = readFileSync(writeCraftedModel(t.paths.home));
      expect(readFileSync(join(out, 'melodytransformer.json')).equals(bytes)).toBe(true);
      const reg = JSON.parse(readFileSync(join(out, 'registry.json'), 'utf8'));
      expect(ajv(reg)).toEqual([]);
      const run = t.sql.prepare('SELECT duration_s FROM runs WHERE id = ?').get(runId) as {
        duration_s: number;
      };
      expect(reg.models[0]).toMatchObject({
        id: 'melodytransformer',
        status: 'production',
        note: 'first',
        exports: { sha256: sha256Hex(bytes) },
      });
      expect(reg.models[0].training).toMatchObject({
        run_id: runId,
        duration_seconds: run.duration_s,
        epochs: 3,
        batch_size: 16,
        val_loss: 0.3,
        dataset_id: 'synth',
        git_commit: 'deadbeef',
      });
      expect(run.duration_s).toBeGreaterThan(0);

      const m = getModel(t, 'melodytransformer');
      expect(m.aliases).toEqual([{ alias: 'production', version: 1, updatedAt: expect.any(Number) }]);
      expect(m.versions[0]).toMatchObject({
        version: 1,
        runId,
        source: 'live',
        legacy: false,
        sha256: sha256Hex(bytes),
        aliases: ['production'],
      });
      expect(m.history[0]).toMatchObject({
        action: 'promote',
        alias: 'production',
        fromVersion: null,
        toVersion: 1,
        by: 'ana',
        note: 'first',
        forced: false,
      });
      expect(versionGateReport(t, 'melodytransformer', 1).report?.passed).toBe(true);
    },
  );

  it('run_finished: a FAILED run is refused (it also carries the failed_with_error anomaly)', async () => {
    const t = open();
    const report = await expectRefused(t, await craftRun(t, { end: 'fail' }), 'run_finished', {}, [
      'no_error_anomalies',
    ]);
    expect(report.gates.find((g) => g.gate === 'run_finished')).toMatchObject({
      verdict: 'fail',
      evidence: { status: 'FAILED' },
    });
    expect(JSON.stringify(report.gates[2]!.evidence)).toContain('failed_with_error');
  });

  it('no_error_anomalies: a run with a NaN loss (nan_loss, error) is refused', async () => {
    const t = open();
    const run = await t.startRun({ experiment: 'melodytransformer', config: { epochs: 3 } });
    [0.5, Number.NaN, 0.3].forEach((v, e) =>
      run.logMetrics({ loss: v, val_loss: 0.4 }, { step: e, epoch: e }),
    );
    run.logMetrics({ rtneural_max_abs_err: 1e-6, rtneural_frame_ms: 1 }, { step: 3 });
    await run.logArtifact(writeCraftedModel(t.paths.home), { kind: 'rtneural' });
    await logHeldOut(run);
    await run.end();
    const report = await expectRefused(t, run.id, 'no_error_anomalies');
    expect(JSON.stringify(report.gates[2]!.evidence)).toContain('nan_loss');
  });

  it('no_error_anomalies: a complete run that lasted milliseconds passes (too_short judges work, not time)', async () => {
    const t = open();
    const runId = await craftRun(t, { valLoss: [0.6, 0.5, 0.45, 0.4, 0.38, 0.36, 0.35, 0.34] });
    const run = t.sql.prepare('SELECT duration_s FROM runs WHERE id = ?').get(runId) as {
      duration_s: number;
    };
    expect(run.duration_s).toBeLessThan(10);
    const r = await promote(t, {
      runId,
      alias: 'production',
      outDir: join(t.paths.home, 'out'),
      validateModel: acceptAll,
      checkNative: nativePass,
    });
    expect(r.version).toBe(1);
    expect(r.gateReport.gates.find((g) => g.gate === 'no_error_anomalies')?.verdict).toBe('pass');
  });

  it('no_error_anomalies: a run that stopped at 3 of 8 configured epochs without early stopping is refused', async () => {
    const t = open();
    const runId = await craftRun(t, { configuredEpochs: 8 });
    const report = await expectRefused(t, runId, 'no_error_anomalies');
    expect(JSON.stringify(report.gates.find((g) => g.gate === 'no_error_anomalies')!.evidence)).toContain(
      'too_short',
    );
  });

  it('rtneural_valid: the injected validator is given the parsed JSON and its errors refuse the promotion', async () => {
    const t = open();
    const runId = await craftRun(t);
    let seen: any;
    const report = await expectRefused(t, runId, 'rtneural_valid', {
      validateModel: (json) => {
        seen = json;
        return { ok: false, errors: ['layers[0].activation: "linear" crashes RTNeural'] };
      },
    });
    expect(seen).toEqual(JSON.parse(readFileSync(writeCraftedModel(t.paths.home), 'utf8')));
    expect(report.gates[3]!.evidence).toEqual({
      errors: ['layers[0].activation: "linear" crashes RTNeural'],
    });
    // no validator at all, or one that throws, is a failure too, never a pass
    await expectRefused(t, runId, 'rtneural_valid', { validateModel: undefined });
    await expectRefused(t, runId, 'rtneural_valid', {
      validateModel: () => {
        throw new Error('boom');
      },
    });
  });

  it('rtneural_valid: an artifact that is not JSON is refused', async () => {
    const t = open();
    const bad = join(t.paths.home, 'bad.json');
    writeFileSync(bad, '{"in_shape": [null, 3], "layers": [NaN]}');
    await expectRefused(t, await craftRun(t, { modelFile: bad }), 'rtneural_valid');
  });

  it('parity: rtneural_max_abs_err above 1e-4, or never recorded, is refused', async () => {
    const t = open();
    const r = await expectRefused(
      t,
      await craftRun(t, { final: { rtneural_max_abs_err: 3e-4, rtneural_frame_ms: 1 } }),
      'parity',
    );
    expect(r.gates[4]!.evidence).toMatchObject({ value: 3e-4, threshold: 1e-4 });
    await expectRefused(t, await craftRun(t, { final: { rtneural_frame_ms: 1 } }), 'parity');
    await expectRefused(
      t,
      await craftRun(t, { final: { rtneural_max_abs_err: Number.NaN, rtneural_frame_ms: 1 } }),
      'parity',
    );
  });

  it('realtime: a per-frame time over the 16 ms hop, or none recorded, is refused', async () => {
    const t = open();
    const r = await expectRefused(
      t,
      await craftRun(t, { final: { rtneural_max_abs_err: 1e-6, rtneural_frame_ms: 24 } }),
      'realtime',
    );
    expect(r.gates[5]!.evidence).toMatchObject({ frameMs: 24, ratio: 1.5, hopMs: 16 });
    await expectRefused(t, await craftRun(t, { final: { rtneural_max_abs_err: 1e-6 } }), 'realtime');
    // a tighter budget is a policy choice
    await expectRefused(t, await craftRun(t), 'realtime', { policy: { maxRealtimeRatio: 0.01 } });
  });

  it('no_regression: production refuses a worse val_loss than the current production version; staging skips it', async () => {
    const t = open();
    const good = await craftRun(t, { valLoss: [0.5, 0.3] });
    const worse = await craftRun(t, { valLoss: [0.6, 0.45] });
    await promote(t, {
      runId: good,
      alias: 'production',
      outDir: join(t.paths.home, 'o'),
      validateModel: acceptAll,
      checkNative: nativePass,
    });
    const err = (await promote(t, {
      runId: worse,
      alias: 'production',
      outDir: join(t.paths.home, 'o'),
      validateModel: acceptAll,
      checkNative: nativePass,
    }).catch((e: unknown) => e)) as PromotionRefusedError;
    expect(err).toBeInstanceOf(PromotionRefusedError);
    expect(err.report.failed).toEqual(['no_regression']);
    expect(err.report.gates.find((g) => g.gate === 'no_regression')!.evidence).toMatchObject({
      metric: 'val_loss',
      candidate: 0.45,
      current: { version: 1, runId: good, value: 0.3 },
    });
    expect(getModel(t, 'melodytransformer').aliases).toMatchObject([{ alias: 'production', version: 1 }]);
    const staged = await promote(t, {
      runId: worse,
      alias: 'staging',
      validateModel: acceptAll,
      checkNative: nativePass,
    });
    expect(staged.gateReport.gates.find((g) => g.gate === 'no_regression')!.verdict).toBe('skipped');
    expect(staged.published).toBeNull();
  });

  it('no_regression compares final_val_loss (the exported best-epoch model) when the run logged it', async () => {
    const t = open();
    const best = await craftRun(t, {
      valLoss: [0.4, 0.5],
      final: { rtneural_max_abs_err: 1e-6, rtneural_frame_ms: 1, final_val_loss: 0.2 },
    });
    await promote(t, { runId: best, alias: 'production', validateModel: acceptAll, checkNative: nativePass });
    const reg = JSON.parse(readFileSync(join(t.paths.models, 'registry.json'), 'utf8'));
    expect(reg.models[0].training.val_loss).toBe(0.2);
    const worse = await craftRun(t, { valLoss: [0.3] });
    const err = (await promote(t, {
      runId: worse,
      alias: 'production',
      validateModel: acceptAll,
      checkNative: nativePass,
    }).catch((e: unknown) => e)) as PromotionRefusedError;
    expect(err.report.failed).toEqual(['no_regression']);
    const r = err.report;
    expect(r.gates.find((g) => g.gate === 'no_regression')!.evidence).toMatchObject({
      candidate: 0.3,
      current: { value: 0.2 },
    });
  });

  it('artifact: a file changed after it was logged is refused, even with --force', async () => {
    const t = open();
    const runId = await craftRun(t);
    const path = (
      t.sql.prepare("SELECT path FROM artifacts WHERE run_id = ? AND kind = 'rtneural'").get(runId) as {
        path: string;
      }
    ).path;
    writeFileSync(
      join(t.paths.artifacts, path),
      readFileSync(writeCraftedModel(t.paths.home), 'utf8').replace('0.', '1.'),
    );
    await expectRefused(t, runId, 'artifact');
    await expectRefused(t, runId, 'artifact', { force: true, reason: 'try anyway' });
    await expectRefused(
      t,
      await craftRun(t, { modelFile: null }),
      'artifact',
      { force: true, reason: 'no file' },
      ['rtneural_valid', 'native-rtneural'],
    );
  });

  it('a forced promotion needs a reason and is recorded as forced with its gate report', async () => {
    const t = open();
    const runId = await craftRun(t, { final: { rtneural_max_abs_err: 5e-4, rtneural_frame_ms: 1 } });
    await expect(
      promote(t, {
        runId,
        alias: 'production',
        force: true,
        validateModel: acceptAll,
        checkNative: nativePass,
      }),
    ).rejects.toThrow(/--force needs --reason/);
    const r = await promote(t, {
      runId,
      alias: 'production',
      force: true,
      reason: 'parity measured on old clips',
      by: 'bo',
      validateModel: acceptAll,
      checkNative: nativePass,
    });
    expect(r.forced).toBe(true);
    const h = getModel(t, 'melodytransformer').history[0]!;
    expect(h).toMatchObject({
      action: 'promote',
      forced: true,
      reason: 'parity measured on old clips',
      by: 'bo',
    });
    expect(h.gateReport?.failed).toEqual(['parity']);
    expect(versionGateReport(t, 'melodytransformer', 1)).toMatchObject({
      forced: true,
      reason: 'parity measured on old clips',
    });
    expect(existsSync(join(t.paths.models, 'melodytransformer.json'))).toBe(true); // default out: <home>/models
  });

  it('a forced production promotion of a file without in_shape stops before registering, naming the file', async () => {
    const t = open();
    const noInShape = join(t.paths.home, 'in-shape-missing.json');
    writeFileSync(
      noInShape,
      JSON.stringify({ layers: JSON.parse(readFileSync(writeCraftedModel(t.paths.home), 'utf8')).layers }),
    );
    const runId = await craftRun(t, { modelFile: noInShape });
    await expect(
      promote(t, {
        runId,
        alias: 'production',
        force: true,
        reason: 'try',
        validateModel: () => ({ ok: false, errors: ['in_shape missing'] }),
      }),
    ).rejects.toThrow(/cannot publish [\w-]+\/model\.json: in_shape is not a non-empty array/);
    expect(getModel(t, 'melodytransformer').versions).toEqual([]);
    expect(existsSync(join(t.paths.models, 'registry.json'))).toBe(false);
  });

  it('previewGates reports without registering anything; an unknown run id is a not-found error', async () => {
    const t = open();
    const runId = await craftRun(t, { final: { rtneural_max_abs_err: 1e-6, rtneural_frame_ms: 30 } });
    const report = await previewGates(t, runId, 'production', {
      validateModel: acceptAll,
      checkNative: nativePass,
    });
    expect(report.failed).toEqual(['realtime']);
    // the experiment shows up as a model with nothing registered
    expect(listModels(t)).toMatchObject([
      { name: 'melodytransformer', versions: 0, latestVersion: null, aliases: {} },
    ]);
    expect(getModel(t, 'melodytransformer')).toMatchObject({ versions: [], aliases: [], history: [] });
    await expect(previewGates(t, 'nope', 'production')).rejects.toThrow(/unknown run id: nope/);
  });

  it('promoting the same run to staging then production reuses one version; moving the alias is an event', async () => {
    const t = open();
    const runId = await craftRun(t);
    const a = await promote(t, {
      runId,
      alias: 'staging',
      validateModel: acceptAll,
      checkNative: nativePass,
    });
    const b = await promote(t, {
      runId,
      alias: 'production',
      validateModel: acceptAll,
      checkNative: nativePass,
    });
    expect([a.version, b.version]).toEqual([1, 1]);
    const m = getModel(t, 'melodytransformer');
    expect(m.versions).toHaveLength(1);
    expect(m.versions[0]!.aliases.sort()).toEqual(['production', 'staging']);
    expect(m.history.map((h) => h.alias)).toEqual(['production', 'staging']);
  });
});
