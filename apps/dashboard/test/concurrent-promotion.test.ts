/**
 * Two dashboard server processes on one store (one home: the runs' artifacts and the published models folder)
 * promote two runs of one model to production at the same moment, through the router the server serves. The
 * registry stays atomic: two distinct versions, two promote events chained (the second moves the alias from the
 * first's version), production on the later one, and the published file is its export. The store comes from
 * testStoreLocation: a SQLite file, or a PostgreSQL database in dashboard@pg.
 */
import { spawnWatched, testStoreLocation } from '@kelly/test-support';
import { openTracker } from '@kelly/tracking';
import { getModel } from '@kelly/registry';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addPromotableRun } from './support/seed';

const dir = mkdtempSync(join(tmpdir(), 'kelly-dash-promote-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function promoteChild(home: string, store: string, runId: string) {
  const c = spawnWatched(
    ['--import', 'tsx', join(import.meta.dirname, 'support', 'promote-child.ts'), home, store, runId],
    { name: `promote-child ${runId}`, stdin: true, timeoutMs: 120_000 },
  );
  children.push(c.proc);
  return c;
}

describe('two dashboard processes on one store', () => {
  it('promote two runs of one model at once: distinct versions, chained events, production on the later one', async () => {
    const seedHome = join(dir, 'seed');
    mkdirSync(seedHome);
    const store = testStoreLocation(seedHome, 'tracking.db');
    await addPromotableRun(seedHome, 'run-a', { bias: 0.07 }, store);
    await addPromotableRun(seedHome, 'run-b', { bias: 0.08 }, store);
    const kids = [promoteChild(seedHome, store, 'run-a'), promoteChild(seedHome, store, 'run-b')];
    await Promise.all(kids.map((k) => k.waitFor(/ready/)));
    for (const k of kids) k.proc.stdin.write('go\n');
    const results = await Promise.all(
      kids.map((k) =>
        k
          .waitFor(/(\{.*\})\n/)
          .then((m) => JSON.parse(m[1]!) as { version: number; fromVersion: number | null }),
      ),
    );
    expect(results.map((r) => r.version).sort()).toEqual([1, 2]);
    const first = results.find((r) => r.fromVersion === null)!;
    const second = results.find((r) => r.fromVersion !== null)!;
    expect(second.fromVersion).toBe(first.version);

    const t = openTracker({ home: seedHome, path: store, handleSignals: false });
    try {
      const model = getModel(t, 'groovepredictor');
      expect(model.versions.map((v) => [v.version, v.runId]).sort()).toEqual(
        [
          [1, results[0]!.version === 1 ? 'run-a' : 'run-b'],
          [2, results[0]!.version === 2 ? 'run-a' : 'run-b'],
        ].sort(),
      );
      const promotes = model.history.filter((h) => h.action === 'promote');
      expect(promotes.map((h) => [h.fromVersion, h.toVersion]).sort()).toEqual(
        [
          [null, first.version],
          [first.version, second.version],
        ].sort(),
      );
      const production = model.versions.find((v) => v.aliases.includes('production'))!;
      expect(production.version).toBe(second.version);
      // the published file is the later version's export
      const published = join(seedHome, 'models', 'groovepredictor.json');
      expect(existsSync(published)).toBe(true);
      expect(JSON.parse(readFileSync(published, 'utf8'))).toMatchObject({
        layers: [{}, { weights: [[[0.7], [-0.8], [0.9]], [production.runId === 'run-a' ? 0.07 : 0.08]] }],
      });
    } finally {
      t.close();
    }
  }, 240_000);
});
