/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- tests read parsed JSON documents freely */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { Tracker } from '@kelly/tracking';
import { promote } from './promote';
import { sha256Hex } from './publish';
import { getModel } from './queries';
import { rollback } from './rollback';
import { acceptAll, craftRun, nativePass, tempTracker, writeCraftedModel } from './test-support/craft-run';
import { ajv, kellyFixtures } from './test-support/schema-check';

const trackers: Tracker[] = [];
afterEach(() => {
  for (const t of trackers.splice(0)) t.close();
});
const open = () => {
  const t = tempTracker();
  trackers.push(t);
  return t;
};

describe('rollback and concurrent promotion', () => {
  it.skipIf(!kellyFixtures.present)(
    `rollback re-points production and restores the previous model file byte for byte (${kellyFixtures.needs}: the real registry.schema.json)`,
    async () => {
      const t = open();
      const out = join(t.paths.home, 'plugin-models');
      const v1 = await craftRun(t, { valLoss: [0.4, 0.3] });
      // a different RTNeural file for v2, with a better val_loss
      const v2 = await craftRun(t, {
        valLoss: [0.3, 0.2],
        modelFile: writeCraftedModel(t.paths.home, 1),
      });
      await promote(t, {
        runId: v1,
        alias: 'production',
        outDir: out,
        validateModel: acceptAll,
        checkNative: nativePass,
      });
      const file1 = readFileSync(join(out, 'melodytransformer.json'));
      const entry1 = JSON.parse(readFileSync(join(out, 'registry.json'), 'utf8')).models[0];
      await promote(t, {
        runId: v2,
        alias: 'production',
        outDir: out,
        validateModel: acceptAll,
        checkNative: nativePass,
      });
      expect(readFileSync(join(out, 'melodytransformer.json')).equals(file1)).toBe(false);

      // no outDir: republished where production was last published
      const r = await rollback(t, { model: 'melodytransformer', alias: 'production', by: 'ops' });
      expect(r).toMatchObject({ fromVersion: 2, toVersion: 1 });
      expect(readFileSync(join(out, 'melodytransformer.json')).equals(file1)).toBe(true);
      const reg = JSON.parse(readFileSync(join(out, 'registry.json'), 'utf8'));
      expect(ajv(reg)).toEqual([]);
      expect(reg.models[0]).toEqual(entry1);
      const m = getModel(t, 'melodytransformer');
      expect(m.aliases).toMatchObject([{ alias: 'production', version: 1 }]);
      expect(m.history[0]).toMatchObject({
        action: 'rollback',
        fromVersion: 2,
        toVersion: 1,
        by: 'ops',
        reason: 'rollback from v2 to v1',
      });
      // the earlier published versions are kept
      expect(
        readFileSync(join(out, 'versions', 'melodytransformer', 'v2.json')).equals(
          readFileSync(writeCraftedModel(t.paths.home, 1)),
        ),
      ).toBe(true);
      // nothing earlier than v1
      await expect(
        rollback(t, { model: 'melodytransformer', alias: 'production', outDir: out }),
      ).rejects.toThrow(/no earlier version/);
      await expect(rollback(t, { model: 'nosuchmodel', alias: 'production', outDir: out })).rejects.toThrow(
        /no production version/,
      );
    },
  );

  it('rollback restores from the artifact store when the folder lost its versions/ copy, and refuses a tampered copy', async () => {
    const t = open();
    const out = join(t.paths.home, 'm');
    const a = await craftRun(t, { valLoss: [0.3] });
    const b = await craftRun(t, {
      valLoss: [0.2],
      modelFile: writeCraftedModel(t.paths.home, 1),
    });
    await promote(t, {
      runId: a,
      alias: 'production',
      outDir: out,
      validateModel: acceptAll,
      checkNative: nativePass,
    });
    const file1 = readFileSync(join(out, 'melodytransformer.json'));
    await promote(t, {
      runId: b,
      alias: 'production',
      outDir: out,
      validateModel: acceptAll,
      checkNative: nativePass,
    });
    writeFileSync(join(out, 'versions', 'melodytransformer', 'v1.json'), 'tampered');
    // the kept copy no longer matches v1's sha256, so it is skipped and the artifact (sha-checked) is used
    await rollback(t, {
      model: 'melodytransformer',
      alias: 'production',
      outDir: join(t.paths.home, 'fresh'),
    });
    expect(readFileSync(join(t.paths.home, 'fresh', 'melodytransformer.json')).equals(file1)).toBe(true);
  });

  it.skipIf(!kellyFixtures.present)(
    `two promotions at the same time (two processes) leave a valid registry.json that agrees with the store (${kellyFixtures.needs})`,
    async () => {
      const t = open();
      const out = join(t.paths.home, 'plugin-models');
      const runs = [
        await craftRun(t, { valLoss: [0.3] }),
        await craftRun(t, { valLoss: [0.3], modelFile: writeCraftedModel(t.paths.home, 1) }),
        await craftRun(t, { experiment: 'groovepredictor' }),
      ];
      const child = resolve(import.meta.dirname, 'test-support', 'promote-child.ts');
      const exec = promisify(execFile);
      const results = await Promise.all(
        runs.map((runId) =>
          exec(process.execPath, ['--import', 'tsx', child, t.paths.home, runId, out, t.path]),
        ),
      );
      expect(results.map((r) => r.stdout.trim()).sort()).toEqual(['1', '1', '2']);
      const reg = JSON.parse(readFileSync(join(out, 'registry.json'), 'utf8'));
      expect(ajv(reg)).toEqual([]);
      expect(reg.models.map((m: any) => m.id).sort()).toEqual(['groovepredictor', 'melodytransformer']);
      for (const entry of reg.models) {
        const m = getModel(t, entry.id);
        const prod = m.versions.find((v) => v.aliases.includes('production'))!;
        // registry.json, the published file and the store's production alias all name the same version
        expect(entry.exports.sha256).toBe(sha256Hex(readFileSync(join(out, entry.file))));
        expect(entry.exports.sha256).toBe(prod.sha256);
        expect(entry.training.run_id).toBe(prod.runId);
      }
      const melody = getModel(t, 'melodytransformer');
      expect(melody.history.filter((h) => h.action === 'promote')).toHaveLength(2);
    },
  );
});
