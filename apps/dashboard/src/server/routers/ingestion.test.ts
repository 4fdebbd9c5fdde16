import { ingestDir, startWatcherRecord, stopWatcherRecord } from '@kelly/legacy';
import { openTracker } from '@kelly/tracking';
import { TRPCError } from '@trpc/server';
import { fixture, testStoreLocation } from '@kelly/test-support';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContextInner } from '../context';
import { createCaller } from '../root';

const legacyLogs = fixture('legacy-logs');
const fixtures = legacyLogs.path;
const home = mkdtempSync(join(tmpdir(), 'kelly-dash-ingest-'));
const tracker = openTracker({ home, path: testStoreLocation(home, 'tracking.db'), handleSignals: false });
const caller = createCaller(createContextInner({ tracker }));
afterAll(() => {
  tracker.close();
  rmSync(home, { recursive: true, force: true });
});

describe.skipIf(!legacyLogs.present)(
  `ingestion router over the real legacy logs (${legacyLogs.needs})`,
  () => {
    let imported = 0;
    beforeAll(async () => {
      const result = await ingestDir(tracker, fixtures);
      imported = result.totals.imported;
    });

    it('lists every file with an outcome, totals matching the importer, and reasons for unparseable ones', async () => {
      const page = await caller.ingestion.files({ limit: 1000 });
      expect(page.items.length).toBeGreaterThan(20);
      expect(page.totals.imported).toBe(imported);
      expect(page.totals.unparseable).toBeGreaterThan(0);
      for (const f of page.items.filter((x) => x.outcome === 'unparseable')) expect(f.reason).toBeTruthy();
      const bad = await caller.ingestion.files({ outcome: 'unparseable' });
      expect(bad.items.every((f) => f.outcome === 'unparseable')).toBe(true);
    });

    it('lists legacy runs with the losses their files report, non-finite values kept', async () => {
      const page = await caller.runs.list({ source: 'legacy', limit: 100 });
      const byId = new Map(page.items.map((r) => [r.id, r]));
      // README: "went NaN after epoch 7: final train/val NaN"
      const nan = byId.get('emotionrecognizer_20251228_110245')!;
      expect(Number.isNaN(nan.finalLoss)).toBe(true);
      expect(nan.anomalies).toContain('nan_loss');
      // README: failed before training; best_val_loss is the unfilled default Infinity
      const failed = byId.get('harmonypredictor_20260104_070315')!;
      expect(failed.status).toBe('FAILED');
      expect(failed.bestLoss).toBe(Infinity);
    });

    it('shows the raw legacy file of an imported run', async () => {
      const page = await caller.ingestion.files({ outcome: 'imported', limit: 1 });
      const rec = page.items[0]!;
      const legacy = await caller.runs.legacyFile({ id: rec.runId! });
      expect(legacy?.relPath).toBe(rec.relPath);
      expect(legacy?.rawText).toContain('"run_id"');
      const run = await caller.runs.get({ id: rec.runId! });
      expect(run.source).toBe('legacy');
      const raw = await caller.ingestion.file({ id: rec.id });
      expect(raw.rawText).toBe(legacy?.rawText);
      const missing = await caller.ingestion.file({ id: 999_999 }).catch((e: unknown) => e);
      expect(missing instanceof TRPCError && missing.code).toBe('NOT_FOUND');
    });
  },
);

describe('ingestion router: watchers', () => {
  it('reports a started watcher as running and a stopped one as stopped', async () => {
    const id = startWatcherRecord(tracker, '/tmp/legacy');
    expect((await caller.ingestion.watchers()).find((w) => w.id === id)?.state).toBe('running');
    stopWatcherRecord(tracker, id);
    expect((await caller.ingestion.watchers()).find((w) => w.id === id)?.state).toBe('stopped');
  });
});
