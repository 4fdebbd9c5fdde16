import {
  getIngestFile,
  heartbeatWatcher,
  ingestDir,
  listIngestFiles,
  listWatchers,
  startWatcherRecord,
  stopWatcherRecord,
} from '../src/index';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syntheticTrainRun } from '../src/synthetic-log';
import { tempStore } from './support';

describe('ingestion queries (for the dashboard and the CLI)', () => {
  let store: ReturnType<typeof tempStore>;
  let dir: string;
  beforeEach(async () => {
    store = tempStore();
    dir = join(store.root, 'logs');
    mkdirSync(dir);
    for (let i = 0; i < 12; i++)
      writeFileSync(join(dir, `r${String(i).padStart(2, '0')}.json`), syntheticTrainRun({ index: i }));
    writeFileSync(join(dir, 'r00 copy.json'), syntheticTrainRun({ index: 0 }));
    writeFileSync(join(dir, 'broken.json'), '{"run_id": ');
    await ingestDir(store.tracker, dir);
  });
  afterEach(() => store.done());

  it('pages through every record with a cursor, newest first, with totals per outcome', () => {
    const seen: string[] = [];
    let cursor: number | undefined;
    for (;;) {
      const page = listIngestFiles(store.tracker, { dir, limit: 5, cursor });
      expect(page.items.length).toBeLessThanOrEqual(5);
      seen.push(...page.items.map((f) => f.relPath));
      expect(page.totals).toMatchObject({ imported: 12, duplicate: 1, unparseable: 1 });
      if (page.nextCursor === null) break;
      cursor = page.nextCursor;
    }
    expect(seen).toHaveLength(14);
    expect(new Set(seen).size).toBe(14);
  });

  it('filters by outcome and text, names the original of a duplicate, returns raw text and versions', () => {
    const broken = listIngestFiles(store.tracker, { outcome: 'unparseable' }).items;
    expect(broken.map((f) => [f.relPath, f.byteOffset])).toEqual([['broken.json', 11]]);
    const [copy] = listIngestFiles(store.tracker, { text: 'copy' }).items;
    expect(copy).toMatchObject({ relPath: 'r00 copy.json', outcome: 'duplicate', duplicateOf: 'r00.json' });
    expect(getIngestFile(store.tracker, broken[0]!.id)).toEqual({ rawText: '{"run_id": ', versions: [] });
    expect(listIngestFiles(store.tracker, { text: '100%_' }).items).toEqual([]); // LIKE wildcards escaped
  });

  it('reports watchers as running, stale (no heartbeat within the window) or stopped', () => {
    const t0 = Date.now();
    const a = startWatcherRecord(store.tracker, dir, t0);
    const b = startWatcherRecord(store.tracker, dir, t0);
    const c = startWatcherRecord(store.tracker, dir, t0);
    heartbeatWatcher(store.tracker, a, { scanned: true, now: t0 + 100_000 });
    stopWatcherRecord(store.tracker, c, t0 + 1000);
    const states = new Map(
      listWatchers(store.tracker, { staleAfterS: 60, now: t0 + 120_000 }).map((w) => [w.id, w]),
    );
    expect(states.get(a)).toMatchObject({ state: 'running', lastScanAt: t0 + 100_000 });
    expect(states.get(b)?.state).toBe('stale');
    expect(states.get(c)?.state).toBe('stopped');
  });
});
