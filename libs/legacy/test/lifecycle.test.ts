import { ingestDir, ingestFile, listIngestFiles } from '../src/index';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syntheticTrainRun } from '../src/synthetic-log';
import { count, tempStore } from './support';

const RUN = 'groovepredictor_20251226_090000';
const runRow = (store: ReturnType<typeof tempStore>, id: string) =>
  store.tracker.sql
    .prepare(`SELECT status, source_missing AS missing, summary FROM runs WHERE id = ?`)
    .get(id) as { status: string; missing: number; summary: string } | undefined;

describe('legacy ingestion lifecycle (own files in a temp folder, real SQLite file)', () => {
  let store: ReturnType<typeof tempStore>;
  let dir: string;
  beforeEach(() => {
    store = tempStore();
    dir = join(store.root, 'logs');
    mkdirSync(dir);
  });
  afterEach(() => store.done());
  const byPath = async () => new Map((await ingestDir(store.tracker, dir)).files.map((f) => [f.relPath, f]));

  it('a changed file updates its run and keeps the earlier version', async () => {
    writeFileSync(join(dir, `${RUN}.json`), syntheticTrainRun({ success: false, error: 'boom' }));
    expect((await byPath()).get(`${RUN}.json`)).toMatchObject({ outcome: 'imported', runStatus: 'FAILED' });
    writeFileSync(join(dir, `${RUN}.json`), syntheticTrainRun({ success: true }));
    const f = (await byPath()).get(`${RUN}.json`)!;
    expect(f).toMatchObject({ outcome: 'updated', runId: RUN, runStatus: 'FINISHED', changed: true });
    expect(count(store.tracker, 'runs')).toBe(1);
    const versions = store.tracker.sql
      .prepare(`SELECT raw_text AS t, run_id AS r FROM ingest_file_versions`)
      .all() as {
      t: string;
      r: string;
    }[];
    expect(versions).toHaveLength(1);
    expect(versions[0]!.t).toContain('"error": "boom"');
    expect(listIngestFiles(store.tracker, { dir }).items[0]?.versions).toBe(1);
  });

  it('a deleted file leaves its run, marked source-missing; it comes back when the file does', async () => {
    const path = join(dir, `${RUN}.json`);
    writeFileSync(path, syntheticTrainRun());
    await byPath();
    rmSync(path);
    expect((await byPath()).get(`${RUN}.json`)).toMatchObject({ outcome: 'missing', runId: RUN });
    expect(runRow(store, RUN)).toMatchObject({ status: 'FINISHED', missing: 1 });
    writeFileSync(path, syntheticTrainRun());
    expect((await byPath()).get(`${RUN}.json`)).toMatchObject({ outcome: 'imported', runId: RUN });
    expect(runRow(store, RUN)?.missing).toBe(0);
    expect(count(store.tracker, 'runs')).toBe(1);
  });

  it('same content under a OneDrive copy name is a duplicate of the original, whichever comes first', async () => {
    writeFileSync(join(dir, `${RUN}-MacBook-Pro.json`), syntheticTrainRun());
    await byPath(); // the copy alone: imported
    writeFileSync(join(dir, `${RUN}.json`), syntheticTrainRun());
    const files = await byPath();
    expect(files.get(`${RUN}.json`)).toMatchObject({ outcome: 'imported', runId: RUN });
    expect(files.get(`${RUN}-MacBook-Pro.json`)).toMatchObject({
      outcome: 'duplicate',
      runId: RUN,
      reason: `same content as ${RUN}.json`,
    });
    expect(count(store.tracker, 'runs')).toBe(1);
    // deleting the original hands the run to the copy: not source-missing
    rmSync(join(dir, `${RUN}.json`));
    const after = await byPath();
    expect(after.get(`${RUN}-MacBook-Pro.json`)).toMatchObject({ outcome: 'imported', runId: RUN });
    expect(runRow(store, RUN)?.missing).toBe(0);
  });

  it('a renamed file keeps its run (no second run, not source-missing)', async () => {
    writeFileSync(join(dir, `${RUN}.json`), syntheticTrainRun());
    await byPath();
    mkdirSync(join(dir, 'archive'));
    renameSync(join(dir, `${RUN}.json`), join(dir, 'archive', `${RUN}.json`));
    const files = await byPath();
    expect(files.get(`archive/${RUN}.json`)).toMatchObject({ outcome: 'imported', runId: RUN });
    expect(files.get(`${RUN}.json`)?.outcome).toBe('missing');
    expect(runRow(store, RUN)?.missing).toBe(0);
    expect(count(store.tracker, 'runs')).toBe(1);
  });

  it('a different log claiming an existing run id is a conflict naming the file, the difference and the shown file', async () => {
    writeFileSync(join(dir, `${RUN}.json`), syntheticTrainRun());
    writeFileSync(join(dir, 'other.json'), syntheticTrainRun({ finalTrainLoss: 0.5 }));
    const files = await byPath();
    const other = files.get('other.json')!;
    expect(other.outcome).toBe('conflict');
    expect(other.runId).toBe(RUN);
    expect(other.reason).toContain(`run ${RUN} shows ${RUN}.json`);
    expect(other.reason).toContain('final_train_loss 0.5 here vs 0.0457');
    expect(count(store.tracker, 'runs')).toBe(1);
    expect(runRow(store, RUN)?.summary).toContain('"final_train_loss":0.0457');
    // the file named <run_id>.json is the one the run shows, whichever is read first
    rmSync(join(dir, `${RUN}.json`));
    rmSync(join(dir, 'other.json'));
    await byPath();
    writeFileSync(join(dir, 'a-first.json'), syntheticTrainRun({ finalTrainLoss: 0.5 }));
    await byPath();
    writeFileSync(join(dir, `${RUN}.json`), syntheticTrainRun());
    const again = await byPath();
    expect(again.get(`${RUN}.json`)).toMatchObject({ runId: RUN });
    expect(again.get('a-first.json')).toMatchObject({ outcome: 'conflict', runId: RUN });
    expect(runRow(store, RUN)?.summary).toContain('"final_train_loss":0.0457');
    expect(count(store.tracker, 'runs')).toBe(1);
  });

  it('a copy re-serialised with other indentation, key order, BOM and CRLF is a duplicate (one run)', async () => {
    const text = syntheticTrainRun();
    writeFileSync(join(dir, `${RUN}.json`), text);
    const parsed = JSON.parse(text) as Record<string, unknown>;
    const reordered = Object.fromEntries(Object.entries(parsed).reverse());
    writeFileSync(
      join(dir, `${RUN} copy.json`),
      '\ufeff' + JSON.stringify(reordered, null, 4).replace(/\n/g, '\r\n'),
    );
    const files = await byPath();
    expect(files.get(`${RUN} copy.json`)).toMatchObject({ outcome: 'duplicate', runId: RUN });
    expect(files.get(`${RUN}.json`)).toMatchObject({ outcome: 'imported', runId: RUN });
    expect(count(store.tracker, 'runs')).toBe(1);
  });

  it('records unreadable and non-run files with a reason, and never looks at temp or AppleDouble files', async () => {
    mkdirSync(join(dir, 'folder.json'));
    writeFileSync(join(dir, 'plan.json'), '{"plans": []}');
    writeFileSync(join(dir, 'half.json'), syntheticTrainRun().slice(0, 300));
    for (const junk of ['._x.json', '.DS_Store', 'x.json.swp', 'x.json~', '.#x.json', 'x.tmp', 'notes.txt'])
      writeFileSync(join(dir, junk), 'junk');
    const files = await byPath();
    expect([...files.keys()].sort()).toEqual(['half.json', 'plan.json']); // readdir skips the folder.json dir
    expect(files.get('plan.json')).toMatchObject({ outcome: 'ignored' });
    expect(files.get('plan.json')?.reason).toContain('training plan');
    expect(files.get('half.json')).toMatchObject({ outcome: 'unparseable', byteOffset: 300 });
    const dirAsFile = await ingestFile(store.tracker, dir, 'folder.json');
    expect(dirAsFile.outcome).toBe('unparseable');
    expect(dirAsFile.reason).toMatch(/cannot read the file: .*EISDIR/);
  });
});
