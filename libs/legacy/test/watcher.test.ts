import { listWatchers, watchLegacyDir, type IngestDecision, type LegacyDirWatcher } from '../src/index';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syntheticTrainRun } from '../src/synthetic-log';
import { count, tempStore, until } from './support';

const RUN = 'groovepredictor_20251226_090000';

describe('watchLegacyDir (one fs.watch per folder, real files, real SQLite)', () => {
  let store: ReturnType<typeof tempStore>;
  let dir: string;
  let watcher: LegacyDirWatcher | undefined;
  const decisions: IngestDecision[] = [];
  const lines: string[] = [];
  const start = async (stabilityMs = 300) => {
    watcher = await watchLegacyDir(store.tracker, dir, {
      stabilityMs,
      pollMs: 25,
      log: (l) => lines.push(l),
      onDecision: (d) => decisions.push(d),
    });
    return watcher;
  };
  const decided = (relPath: string, outcome?: string) =>
    decisions.find((d) => d.relPath === relPath && (!outcome || d.outcome === outcome));

  beforeEach(() => {
    store = tempStore();
    dir = join(store.root, 'logs');
    mkdirSync(join(dir, 'nested'), { recursive: true });
    decisions.length = 0;
    lines.length = 0;
  });
  afterEach(async () => {
    await watcher?.close();
    watcher = undefined;
    store.done();
  });

  it('imports existing files in the initial scan and records its heartbeat and last scan', async () => {
    writeFileSync(join(dir, `${RUN}.json`), syntheticTrainRun());
    const w = await start();
    // the initial pass reports its decisions one by one, and keeps only totals (no per-file list)
    expect(decisions.map((f) => f.outcome)).toEqual(['imported']);
    expect(w.initial.totals.imported).toBe(1);
    expect(w.initial.files).toEqual([]);
    const [status] = listWatchers(store.tracker);
    expect(status).toMatchObject({ dir, state: 'running', pid: process.pid });
    expect(status!.lastScanAt).not.toBeNull();
    await w.close();
    expect(listWatchers(store.tracker)[0]?.state).toBe('stopped');
  });

  it('waits for a slowly written file to be complete: one decision, imported, never unparseable', async () => {
    await start(400);
    const text = syntheticTrainRun({ index: 7 });
    const path = join(dir, 'nested', 'slow.json');
    const handle = await open(path, 'w');
    const chunk = Math.ceil(text.length / 8);
    for (let i = 0; i < text.length; i += chunk) {
      await handle.write(text.slice(i, i + chunk));
      await handle.sync();
      // the writer pauses between chunks, well inside the 400 ms stability window
      await new Promise((r) => setTimeout(r, 40));
    }
    await handle.close();
    const d = await until('the slow file to be decided', () => decided('nested/slow.json'));
    await watcher!.idle();
    expect(d.outcome).toBe('imported');
    expect(decisions.filter((x) => x.relPath === 'nested/slow.json')).toHaveLength(1);
    expect(count(store.tracker, 'runs')).toBe(1);
  });

  it('follows a rename: one run, the new path imported, the old one missing, the run not source-missing', async () => {
    writeFileSync(join(dir, `${RUN}.json`), syntheticTrainRun());
    await start();
    renameSync(join(dir, `${RUN}.json`), join(dir, 'nested', `${RUN}.json`));
    await until('the old path to be missing and the new one imported', () => {
      const rows = store.tracker.sql
        .prepare(`SELECT rel_path AS p, outcome FROM ingest_files ORDER BY rel_path`)
        .all() as { p: string; outcome: string }[];
      const ok =
        rows.find((r) => r.p === `nested/${RUN}.json`)?.outcome === 'imported' &&
        rows.find((r) => r.p === `${RUN}.json`)?.outcome === 'missing';
      return ok ? rows : undefined;
    });
    await watcher!.idle();
    expect(count(store.tracker, 'runs')).toBe(1);
    const run = store.tracker.sql.prepare(`SELECT source_missing AS m FROM runs WHERE id = ?`).get(RUN) as {
      m: number;
    };
    expect(run.m).toBe(0);
  });

  it('marks a deleted file missing, updates a changed one, and ignores temp and AppleDouble files', async () => {
    writeFileSync(join(dir, `${RUN}.json`), syntheticTrainRun({ success: false, error: 'boom' }));
    await start();
    writeFileSync(join(dir, '._x.json'), 'x');
    writeFileSync(join(dir, 'x.json.swp'), 'x');
    writeFileSync(join(dir, '.#x.json'), 'x');
    writeFileSync(join(dir, `${RUN}.json`), syntheticTrainRun({ success: true }));
    await until('the update', () => decided(`${RUN}.json`, 'updated'));
    writeFileSync(join(dir, 'other.json'), '{"plans": []}');
    await until('the ignored plan', () => decided('other.json', 'ignored'));
    rmSync(join(dir, 'other.json'));
    await until('the deletion', () => decided('other.json', 'missing'));
    await watcher!.idle();
    // initial import, the update, the plan, its deletion: the temp and AppleDouble files never show up
    expect(decisions.map((d) => `${d.outcome} ${d.relPath}`)).toEqual([
      `imported ${RUN}.json`,
      `updated ${RUN}.json`,
      'ignored other.json',
      'missing other.json',
    ]);
    expect(lines.some((l) => l.startsWith(`updated ${RUN}.json → run ${RUN}`))).toBe(true);
  });
});
