/**
 * Hostile files in a watched legacy folder (issue 19, point 5), on real files and a real SQLite file:
 * symbolic links pointing out are never followed (reported as skipped), a 2 GB sparse file is recorded as too
 * large without being read, names with spaces, unicode and leading dashes are imported, one OS watch per folder
 * (not per file), and files rewritten, replaced or deleted while they are imported end in records that match
 * the disk.
 */
import {
  ingestDir,
  MAX_LEGACY_FILE_BYTES,
  SYMLINK_SKIP_REASON,
  watchLegacyDir,
  type IngestDecision,
  type LegacyDirWatcher,
  type SkippedPath,
} from '../src/index';
import { createHash } from 'node:crypto';
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syntheticRunId, syntheticTrainRun } from '../src/synthetic-log';
import { count, tempStore, until } from './support';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const rowOf = (store: ReturnType<typeof tempStore>, relPath: string) =>
  store.tracker.sql
    .prepare(
      `SELECT outcome, reason, sha256, bytes, raw_text AS "rawText", run_id AS "runId" FROM ingest_files WHERE rel_path = ?`,
    )
    .get(relPath) as
    | {
        outcome: string;
        reason: string | null;
        sha256: string | null;
        bytes: number;
        rawText: string | null;
        runId: string | null;
      }
    | undefined;

describe('hostile files in a legacy folder', () => {
  let store: ReturnType<typeof tempStore>;
  let dir: string;
  let outside: string;
  let watcher: LegacyDirWatcher | undefined;
  const decisions: IngestDecision[] = [];
  const skipped: SkippedPath[] = [];
  const start = async () => {
    watcher = await watchLegacyDir(store.tracker, dir, {
      stabilityMs: 200,
      pollMs: 25,
      onDecision: (d) => decisions.push(d),
      onSkipped: (s) => skipped.push(s),
    });
    return watcher;
  };

  beforeEach(() => {
    store = tempStore();
    dir = join(store.root, 'logs');
    outside = join(store.root, 'outside');
    mkdirSync(join(dir, 'nested'), { recursive: true });
    mkdirSync(outside, { recursive: true });
    decisions.length = 0;
    skipped.length = 0;
  });
  afterEach(async () => {
    await watcher?.close();
    watcher = undefined;
    store.done();
  });

  it('does not follow symbolic links out of the folder (file or folder), and reports them as skipped', async () => {
    const secret = syntheticTrainRun({ index: 1 });
    writeFileSync(join(outside, 'secret.json'), secret);
    mkdirSync(join(outside, 'more'));
    writeFileSync(join(outside, 'more', 'other.json'), syntheticTrainRun({ index: 2 }));
    symlinkSync(join(outside, 'secret.json'), join(dir, 'link.json'));
    symlinkSync(join(outside, 'more'), join(dir, 'nested', 'more'));
    const once = await ingestDir(store.tracker, dir);
    expect(once.skipped.map((s) => [s.relPath, s.reason])).toEqual([
      ['link.json', SYMLINK_SKIP_REASON],
      ['nested/more', SYMLINK_SKIP_REASON],
    ]);
    expect(once.files).toEqual([]);
    expect(count(store.tracker, 'runs')).toBe(0);

    // the watcher: the links already there and one made while it watches
    await start();
    symlinkSync(join(outside, 'more', 'other.json'), join(dir, 'nested', 'late.json'));
    await until('the late link to be reported', () => skipped.find((s) => s.relPath === 'nested/late.json'));
    await watcher!.idle();
    expect(skipped.map((s) => s.relPath).sort()).toEqual(['link.json', 'nested/late.json', 'nested/more']);
    expect(count(store.tracker, 'runs')).toBe(0);
    expect(count(store.tracker, 'ingest_files')).toBe(0);
  });

  it('records a 2 GB (sparse) file as too large without reading it, in a pass and in the watcher', async () => {
    const big = join(dir, 'console dump.json');
    writeFileSync(big, '');
    truncateSync(big, 2 * 1024 ** 3);
    const rss0 = process.memoryUsage().rss;
    await ingestDir(store.tracker, dir);
    const row = rowOf(store, 'console dump.json')!;
    expect(row).toMatchObject({ outcome: 'unparseable', bytes: 2 * 1024 ** 3, sha256: null, rawText: null });
    expect(row.reason).toBe(
      `too large: ${2 * 1024 ** 3} bytes, over the ${MAX_LEGACY_FILE_BYTES}-byte limit of a legacy file; not read`,
    );
    // not read whole: the process did not grow by anything near the file
    expect(process.memoryUsage().rss - rss0).toBeLessThan(MAX_LEGACY_FILE_BYTES * 2);

    await start();
    const late = join(dir, 'nested', 'late dump.json');
    writeFileSync(late, '');
    truncateSync(late, MAX_LEGACY_FILE_BYTES + 1);
    const d = await until('the late dump', () =>
      decisions.find((x) => x.relPath === 'nested/late dump.json'),
    );
    expect(d.outcome).toBe('unparseable');
    expect(d.reason).toMatch(/^too large: 67108865 bytes/);
  });

  it('imports names with spaces, unicode and leading dashes, in a pass and in the watcher', async () => {
    const names = ['- run 1 é.json', '--help.json', '日本語 ログ.json', ' lead space.json', 'emoji 🎹.json'];
    names.forEach((n, i) => writeFileSync(join(dir, n), syntheticTrainRun({ index: 10 + i })));
    const w = await start();
    expect(decisions.map((f) => [f.relPath, f.outcome]).sort()).toEqual(
      names.map((n) => [n, 'imported']).sort(),
    );
    const late = ['-x.json', 'ümlaut ünd space.json', '-- --.json'];
    late.forEach((n, i) => writeFileSync(join(dir, 'nested', n), syntheticTrainRun({ index: 20 + i })));
    for (const n of late)
      await until(n, () => decisions.find((d) => d.relPath === `nested/${n}` && d.outcome === 'imported'));
    await w.idle();
    expect(count(store.tracker, 'runs')).toBe(names.length + late.length);
  });

  it('holds one OS watch per folder, however many files (3,000 files in 5 folders → 5 watches)', async () => {
    for (const sub of ['a', 'b', 'c']) {
      mkdirSync(join(dir, 'nested', sub));
      for (let i = 0; i < 1000; i++) writeFileSync(join(dir, 'nested', sub, `f${i}.json`), '{"plans": []}');
    }
    const w = await start();
    expect(w.initial.totals.ignored).toBe(3000);
    // root, nested, nested/a, nested/b, nested/c
    expect(w.watchedFolders()).toBe(5);
    if (existsSync('/proc/self/fdinfo')) expect(inotifyWatches()).toBeLessThan(5 + 20);
    // a folder made later is watched too, and what it holds imported
    mkdirSync(join(dir, 'nested', 'd'));
    writeFileSync(
      join(dir, 'nested', 'd', `${syntheticRunId('groovepredictor', 3).runId}.json`),
      syntheticTrainRun({ modelId: 'groovepredictor', index: 3 }),
    );
    await until("the new folder's file", () =>
      decisions.find((d) => d.relPath.startsWith('nested/d/') && d.outcome === 'imported'),
    );
    expect(w.watchedFolders()).toBe(6);
  });

  it('leaves records matching the disk when files are rewritten, replaced and deleted while they are imported', async () => {
    const w = await start();
    const paths = Array.from({ length: 6 }, (_, i) => join(dir, i % 2 ? 'nested' : '', `churn-${i}.json`));
    // a writer rewrites in place, replaces by rename and deletes, faster than the stability window, for a while
    for (let round = 0; round < 40; round++) {
      for (const [i, p] of paths.entries()) {
        const text = syntheticTrainRun({ index: 100 + i, finalTrainLoss: round / 10 + i });
        if ((round + i) % 5 === 4) rmSync(p, { force: true });
        else if ((round + i) % 2) {
          writeFileSync(`${p}.tmp`, text);
          renameSync(`${p}.tmp`, p);
        } else writeFileSync(p, text);
      }
      await new Promise((r) => setTimeout(r, 15));
    }
    await w.idle();
    for (const p of paths) {
      const rel = p.slice(dir.length + 1);
      const row = rowOf(store, rel);
      if (!existsSync(p)) {
        expect(row?.outcome ?? 'missing', rel).toBe('missing');
        continue;
      }
      const bytes = readFileSync(p);
      expect(row, rel).toBeDefined();
      expect(['imported', 'updated'], rel).toContain(row!.outcome);
      // the record holds exactly the bytes on disk, and its run the final content's loss
      expect(row!.sha256, rel).toBe(sha(bytes));
      expect(row!.rawText, rel).toBe(bytes.toString('utf8'));
      const run = store.tracker.sql.prepare(`SELECT summary FROM runs WHERE id = ?`).get(row!.runId) as {
        summary: string;
      };
      expect(JSON.parse(run.summary).final_train_loss, rel).toBe(
        JSON.parse(bytes.toString('utf8')).final_train_loss,
      );
    }
  });
});

/** inotify watches held by this process (Linux: `inotify wd:` lines in /proc/self/fdinfo/*). */
function inotifyWatches(): number {
  let n = 0;
  for (const fd of readdirSync('/proc/self/fdinfo')) {
    try {
      n += (readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8').match(/^inotify wd:/gm) ?? []).length;
    } catch {
      /* closed meanwhile */
    }
  }
  return n;
}
