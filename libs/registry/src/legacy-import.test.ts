import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Tracker } from '@kelly/tracking';
import { importLegacyRegistry } from './legacy-import';
import { getModel, listModels } from './queries';
import { tempTracker } from './test-support/craft-run';
import { KELLY_FIXTURES, kellyFixtures } from './test-support/schema-check';

const trackers: Tracker[] = [];
afterEach(() => {
  for (const t of trackers.splice(0)) t.close();
});

const registryFiles = kellyFixtures.present
  ? readdirSync(KELLY_FIXTURES)
      .filter((f) => /^registry.*\.json$/.test(f) && !f.includes('schema'))
      .sort()
  : [];

describe.skipIf(!kellyFixtures.present)(
  `importLegacyRegistry (the real old registry files; ${kellyFixtures.needs})`,
  () => {
    it('imports every registry snapshot as legacy model history: stub and trained versions with their training blocks', () => {
      const t = tempTracker();
      trackers.push(t);
      const results = registryFiles.map((f) => importLegacyRegistry(t, join(KELLY_FIXTURES, f)));
      expect(results.every((r) => r.entries.length >= 5)).toBe(true);

      const melody = getModel(t, 'melodytransformer');
      expect(melody.versions.every((v) => v.legacy && v.source === 'legacy' && v.aliases.length === 0)).toBe(
        true,
      );
      const statuses = new Set(melody.versions.map((v) => v.status));
      expect(statuses).toEqual(new Set(['stub', 'trained']));
      const latest = melody.versions.find(
        (v) => (v.raw?.recordedRunId as string | null) === 'melodytransformer_20260104_074804',
      );
      expect(latest).toBeDefined();
      expect(latest!.raw).toMatchObject({
        legacy: true,
        entry: { training: { epochs: 30, batch_size: 8, hardware: 'Apple M4', duration_seconds: 0 } },
      });
      expect(latest!.sha256).toBe('83fb198c56a54283d16dab0361effd6c680be9a017f2bb676e0680a3e3a227be');
      expect(latest!.metrics).toMatchObject({ train_loss: 3.7880267834663393, val_loss: 3.8659009016477146 });
      // identical entries across snapshots collapse: fewer versions than entries seen
      const melodyEntries = results.flatMap((r) => r.entries.filter((e) => e.model === 'melodytransformer'));
      expect(melody.versions.length).toBeLessThan(melodyEntries.length);
      expect(melody.history.every((h) => h.action === 'import' && h.by === 'legacy-import')).toBe(true);

      // the stray RECOVERY_OPS keys are not models
      const last = results[registryFiles.indexOf('registry.json')]!;
      expect(last.strayKeys).toContain('checkpointepoch0001');
      expect(listModels(t).map((m) => m.name)).not.toContain('checkpointepoch0001');
      expect(listModels(t).map((m) => m.name)).toEqual(
        expect.arrayContaining(['emotionnodeclassifier', 'instrumentrecognizer', 'dynamicsengine']),
      );
    });

    it('is idempotent and links a version to its run when that run is in the store', async () => {
      const t = tempTracker();
      trackers.push(t);
      const run = await t.startRun({
        experiment: 'melodytransformer',
        id: 'melodytransformer_20260104_074804',
        config: {},
      });
      await run.end();
      const first = importLegacyRegistry(t, join(KELLY_FIXTURES, 'registry.json'));
      expect(first.created).toBe(7);
      const again = importLegacyRegistry(t, join(KELLY_FIXTURES, 'registry.json'));
      expect(again).toMatchObject({ created: 0, skipped: 7 });
      const v = getModel(t, 'melodytransformer').versions;
      expect(v).toHaveLength(1);
      expect(v[0]!.runId).toBe('melodytransformer_20260104_074804');
    });

    it("can run inside a caller's IMMEDIATE transaction (the legacy ingester calls it from its own)", () => {
      const t = tempTracker();
      trackers.push(t);
      const file = join(KELLY_FIXTURES, 'registry-2026-01-04-053347.json');
      const bytes = readFileSync(file);
      const r = t.sql.transaction(() => importLegacyRegistry(t, file, bytes)).immediate();
      expect(r.created).toBe(7);
      expect(getModel(t, 'groovepredictor').versions[0]).toMatchObject({ status: 'trained', legacy: true });
    });

    it('names the file when it is not a registry or not JSON', () => {
      const t = tempTracker();
      trackers.push(t);
      const bad = join(t.paths.home, 'registry.json');
      writeFileSync(bad, '{"registry_version": "1.1", "models": [');
      expect(() => importLegacyRegistry(t, bad)).toThrow(new RegExp(`${bad}: not readable JSON`));
      writeFileSync(bad, '{"registry_version": "1.1", "models": [{"id": "x"}]}');
      expect(() => importLegacyRegistry(t, bad)).toThrow(
        /registry\.json: not a Kelly model registry: models\.0\.status/,
      );
      expect(listModels(t)).toEqual([]);
    });
  },
);
