import { bySql, type Tracker } from '@kelly/tracking';
import { ingestDir, ingestFile, listLegacyFiles } from '../src/index';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { syntheticRunId, syntheticTrainRun } from '../src/synthetic-log';
import { tempStore } from './support';

const stores: ReturnType<typeof tempStore>[] = [];
afterEach(() => stores.splice(0).forEach((s) => s.done()));
const store = () => {
  const s = tempStore();
  stores.push(s);
  return s;
};

/** 120 files of every kind: runs, failures, NaN runs, Ctrl-C, truncated, not-a-run JSON, copies, a run-id clash. */
function writeMixedFolder(dir: string): void {
  const models = ['melodytransformer', 'groovepredictor', 'emotionrecognizer', 'emotionnodeclassifier'];
  for (let i = 0; i < 110; i++) {
    const sub = join(dir, `batch-${i % 3}`);
    mkdirSync(sub, { recursive: true });
    const modelId = models[i % 4]!;
    const kind = i % 11;
    let text = syntheticTrainRun({
      modelId,
      index: i,
      ...(kind === 1 ? { success: false, error: `[Errno 2] No such file: 'data/${i}.json'` } : {}),
      ...(kind === 2 ? { success: false, error: '' } : {}),
      ...(kind === 3 ? { finalTrainLoss: NaN, finalValLoss: NaN, bestValLoss: Infinity, bestEpoch: 0 } : {}),
      ...(kind === 4 ? { durationS: 3.9 } : {}),
      ...(kind === 5 ? { finalTrainLoss: 0, finalValLoss: 0 } : {}),
    });
    if (kind === 6) text = text.slice(0, text.length >> 1);
    writeFileSync(join(sub, `${syntheticRunId(modelId, i).runId}.json`), text);
    if (i % 25 === 0) writeFileSync(join(sub, `${syntheticRunId(modelId, i).runId} copy.json`), text);
  }
  writeFileSync(join(dir, 'curves.json'), JSON.stringify({ train_losses: [1, 0.5], val_losses: [1.1, 0.6] }));
  writeFileSync(join(dir, 'notes.json'), '{"hello": "world"}');
  // same run_id as batch-0's first run, different content: a conflict (no second run)
  writeFileSync(
    join(dir, 'clash.json'),
    syntheticTrainRun({ modelId: 'melodytransformer', index: 0, durationS: 999 }),
  );
}

/** Every row the import wrote, without ids and clocks (which differ between two imports). */
function snapshot(t: Tracker) {
  const q = (sql: string) => t.sql.prepare(sql).all();
  return {
    files: q(`SELECT path, rel_path, sha256, bytes, mtime, outcome, reason, byte_offset, format, run_id,
      (SELECT path FROM ingest_files o WHERE o.id = f.duplicate_of_file_id) AS dup_of, raw_text
      FROM ingest_files f ORDER BY path`),
    runs: q(`SELECT id, experiment, name, status, source, started_at, ended_at, duration_s, git_commit, hardware,
      tags, error_type, error_message, config, content_hash, source_missing, summary FROM runs ORDER BY id`),
    metrics: q(
      `SELECT run_id, key, step, epoch, wall_time, value, flag FROM metrics ORDER BY run_id, key, step`,
    ),
    rollups: q(`SELECT * FROM metric_rollups ORDER BY run_id, key, level, bucket`),
    artifacts: q(`SELECT run_id, kind, name, path FROM artifacts ORDER BY run_id, path`),
    anomalies: q(`SELECT run_id, rule, severity, first_step, evidence FROM anomalies ORDER BY run_id, rule`),
    experiments: q(`SELECT name FROM experiments ORDER BY name`),
  };
}

describe('ingestDir: batches of files in one transaction, written together (one by one if that fails)', () => {
  it('writes exactly what importing the files one by one writes', async () => {
    const data = store();
    writeMixedFolder(join(data.root, 'logs'));
    const dir = join(data.root, 'logs');
    const oneByOne = store();
    for (const path of await listLegacyFiles(dir)) await ingestFile(oneByOne.tracker, dir, path);
    const expected = snapshot(oneByOne.tracker);
    expect(expected.runs.length).toBeGreaterThan(90);
    expect(new Set(expected.files.map((f) => (f as { outcome: string }).outcome))).toEqual(
      new Set(['imported', 'duplicate', 'conflict', 'unparseable', 'ignored']),
    );
    expect(expected.anomalies.length).toBeGreaterThan(20);
    const batched = store();
    const result = await ingestDir(batched.tracker, dir);
    expect(result.files.every((f) => f.changed)).toBe(true);
    expect(snapshot(batched.tracker)).toEqual(expected);
  });

  it('a file whose write fails inside a batch fails alone: recorded with the reason, its run rolled back, the rest imported', async () => {
    const s = store();
    const dir = join(s.root, 'logs');
    writeMixedFolder(dir);
    // a store-side failure for one file: its ingestion record cannot be written as imported
    const when = `NEW.rel_path = 'batch-1/groovepredictor_20251226_090001.json' AND NEW.outcome = 'imported'`;
    s.tracker.sql.exec(
      bySql(s.tracker.sql, {
        sqlite: `CREATE TRIGGER boom BEFORE INSERT ON ingest_files WHEN ${when}
          BEGIN SELECT RAISE(ABORT, 'disk says no'); END`,
        postgres: `CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF ${when} THEN RAISE EXCEPTION 'disk says no'; END IF; RETURN NEW; END $$;
          CREATE TRIGGER boom BEFORE INSERT ON ingest_files FOR EACH ROW EXECUTE FUNCTION boom()`,
      }),
    );
    const result = await ingestDir(s.tracker, dir);
    expect(result.totals.imported).toBeGreaterThan(0);
    const bad = result.files.find((f) => f.relPath === 'batch-1/groovepredictor_20251226_090001.json')!;
    expect(bad.outcome).toBe('unparseable');
    expect(bad.reason).toMatch(/import failed: .*disk says no/);
    // its run was rolled back with it; every other run log of the folder was imported
    expect(
      s.tracker.sql
        .prepare(`SELECT count(*) FROM runs WHERE id = 'groovepredictor_20251226_090001'`)
        .pluck()
        .get(),
    ).toBe(0);
    const runs = result.files.filter((f) => f.outcome === 'imported').length;
    const clean = store();
    const cleanResult = await ingestDir(clean.tracker, dir);
    expect(runs).toBe(cleanResult.files.filter((f) => f.outcome === 'imported').length - 1);
  });

  it('without a file list (the watcher) reports the same totals, and each changed file once through onChangedFile', async () => {
    const s = store();
    const dir = join(s.root, 'logs');
    writeMixedFolder(dir);
    const listed = await ingestDir(store().tracker, dir);
    const reported: string[] = [];
    const quiet = await ingestDir(s.tracker, dir, {
      listFiles: false,
      onChangedFile: (f) => reported.push(`${f.outcome} ${f.relPath} ${f.runStatus}`),
    });
    expect(quiet.files).toEqual([]);
    expect(quiet.totals).toEqual(listed.totals);
    expect(reported.sort()).toEqual(
      listed.files.map((f) => `${f.outcome} ${f.relPath} ${f.runStatus}`).sort(),
    );
    // a second pass changes nothing and reports nothing
    reported.length = 0;
    const again = await ingestDir(s.tracker, dir, {
      listFiles: false,
      onChangedFile: (f) => reported.push(f.path),
    });
    expect(reported).toEqual([]);
    expect(again.totals.unchanged).toBe(listed.files.length);
  });
});
