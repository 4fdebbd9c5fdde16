import { ingestDir } from '@kelly/legacy';
import type { Tracker } from '@kelly/tracking';
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { registryModelHistory } from './registry-history';
import { tempTracker } from './test-support/craft-run';
import { KELLY_FIXTURES, kellyFixtures } from './test-support/schema-check';

const count = (tracker: Tracker, table: string) =>
  (tracker.sql.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe.skipIf(!kellyFixtures.present)(
  `ingestDir with registryModelHistory (${kellyFixtures.needs})`,
  () => {
    it('turns every old registry.json met in the folder into legacy model history, idempotently', async () => {
      const tracker = tempTracker();
      try {
        const onDocument = registryModelHistory(tracker);
        const result = await ingestDir(tracker, KELLY_FIXTURES, { onDocument });
        const registries = result.files.filter(
          (f) => /^registry(-.*)?\.json$/.test(f.relPath) && !f.relPath.includes('schema'),
        );
        expect(registries).toHaveLength(10);
        for (const f of registries) {
          expect(f.outcome, f.relPath).toBe('ignored');
          expect(f.reason, f.relPath).toMatch(
            /; model history: \d+ new legacy version\(s\), \d+ already known$/,
          );
        }
        const versions = count(tracker, 'model_versions');
        expect(versions).toBeGreaterThan(7);
        // the dynamicsengine run of the same folder is linked to its registry entry
        const linked = tracker.sql
          .prepare(`SELECT count(*) AS n FROM model_versions WHERE run_id = 'dynamicsengine_20251231_082810'`)
          .get() as { n: number };
        expect(linked.n).toBeGreaterThan(0);
        // a second pass and a re-read of the same bytes add nothing
        await ingestDir(tracker, KELLY_FIXTURES, { onDocument });
        expect(count(tracker, 'model_versions')).toBe(versions);
      } finally {
        tracker.close();
        rmSync(tracker.paths.home, { recursive: true, force: true });
      }
    });
  },
);
