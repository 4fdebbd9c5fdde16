import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testStoreLocation } from '@kelly/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../db/store';
import { createToken } from '../remote/tokens';
import { openTracker } from '../tracker';
import type { Tracker } from '../tracker';
import { copyStore, StoreCopyConflictError, type CopyProgress } from './copy-store';
import { storeTables } from './store-tables';

/**
 * The store copier (`kelly migrate`) from a real SQLite store to a second store: another SQLite file in the
 * tracking project, a fresh PostgreSQL database in tracking@pg (testStoreLocation). Every table holds rows.
 */
const dir = mkdtempSync(join(tmpdir(), 'kelly-copy-'));
let source: Tracker;
let runId = '';
const targets: Store[] = [];
afterAll(() => {
  for (const t of targets) t.sql.close();
  source?.close();
  rmSync(dir, { recursive: true, force: true });
});

const target = (name: string): Store => {
  const store = openStore({ path: testStoreLocation(dir, name) });
  targets.push(store);
  return store;
};
const rows = (store: Pick<Store, 'sql'>, table: string, order: string) =>
  store.sql.prepare(`SELECT * FROM "${table}" ORDER BY ${order}`).all();

beforeAll(async () => {
  source = openTracker({ home: dir, path: join(dir, 'source.db'), handleSignals: false });
  const run = await source.startRun({
    experiment: 'melodytransformer',
    config: { lr: 0.001, layers: [64, 64], optimizer: { name: 'adam', beta: 0.9 } },
    tags: ['copy', 'ünïcode'],
    notes: "it's a 'quoted' note",
  });
  runId = run.id;
  for (let step = 0; step < 300; step++) {
    const loss = step === 7 ? NaN : step === 8 ? Infinity : 1 / (step + 1);
    run.logMetrics({ loss, val_loss: 0.5 + step / 1000, lr: 1e-3 }, { step, epoch: Math.floor(step / 30) });
  }
  const file = join(dir, 'model.json');
  writeFileSync(file, JSON.stringify({ layers: [] }));
  await run.logArtifact(file, { kind: 'rtneural', name: 'model' });
  await run.logMedia({
    kind: 'image',
    key: 'clip/c1/roll',
    step: 3,
    width: 2,
    height: 1,
    rgba: new Uint8Array(8),
  });
  await run.end();
  const failed = await source.startRun({ experiment: 'groovepredictor', config: {} });
  failed.logMetrics({ loss: NaN }, { step: 0 });
  await failed.fail(new Error('diverged'));

  const sql = source.sql;
  const now = 1_733_000_000_000;
  sql
    .prepare(
      `INSERT INTO ingest_files (path, dir, rel_path, sha256, bytes, mtime, outcome, run_id, raw_text, first_seen_at, last_seen_at)
       VALUES ('/logs/a.json', '/logs', 'a.json', 'abc', 12, ?, 'imported', ?, '{"x": 1}', ?, ?)`,
    )
    .run(now, runId, now, now);
  sql
    .prepare(
      `INSERT INTO ingest_file_versions (file_id, sha256, raw_text, run_id, seen_at) VALUES (1, 'old', '{}', NULL, ?)`,
    )
    .run(now);
  sql.prepare(`INSERT INTO watchers (dir, pid, host, started_at) VALUES ('/logs', 42, 'box', ?)`).run(now);
  sql.prepare(`INSERT INTO registered_models (name, created_at) VALUES ('melodytransformer', ?)`).run(now);
  sql
    .prepare(
      `INSERT INTO model_versions (model, version, run_id, source, status, gate_report, created_at)
       VALUES ('melodytransformer', 1, ?, 'live', 'READY', '{"ok":true}', ?)`,
    )
    .run(runId, now);
  sql
    .prepare(
      `INSERT INTO model_aliases (model, alias, version_id, updated_at) VALUES ('melodytransformer', 'production', 1, ?)`,
    )
    .run(now);
  sql
    .prepare(
      `INSERT INTO registry_events (model, alias, action, to_version_id, forced, at) VALUES ('melodytransformer', 'production', 'promote', 1, 1, ?)`,
    )
    .run(now);
  createToken(sql, { scope: 'write', name: 'ci' }, now);
  sql
    .prepare(
      `INSERT INTO remote_ops (key, run_id, kind, points, applied_at) VALUES ('batch-1', ?, 'metrics', 300, ?)`,
    )
    .run(runId, now);
});

describe('copyStore', () => {
  it('copies every table (parents first), verified by counts and checksums, and reads back the same rows', () => {
    const tables = storeTables();
    expect(tables.map((t) => t.name)).toContain('remote_ops');
    const names = tables.map((t) => t.name);
    for (const t of tables) {
      for (const parent of t.references)
        expect(names.indexOf(parent), `${t.name} after ${parent}`).toBeLessThan(names.indexOf(t.name));
      const n = Number(source.sql.prepare(`SELECT count(*) FROM "${t.name}"`).pluck().get());
      expect(n, `source rows of ${t.name}`).toBeGreaterThan(0);
    }

    const to = target('target.db');
    const progress: CopyProgress[] = [];
    const report = copyStore(source.sql, to.sql, { batchRows: 64, onProgress: (p) => progress.push(p) });
    expect(report.equal).toBe(true);
    expect(report.tables.map((t) => t.table)).toEqual(names);
    for (const t of report.tables) {
      expect(t.copied, t.table).toBe(t.sourceRows);
      expect(t.targetRows, t.table).toBe(t.sourceRows);
      expect(t.targetTotal, t.table).toBe(t.sourceRows);
      expect(t.targetChecksum, t.table).toBe(t.sourceChecksum);
    }
    const metrics = report.tables.find((t) => t.table === 'metrics')!;
    expect(metrics.sourceRows).toBe(901);
    // one progress call before and one after each batch of 64
    expect(progress.filter((p) => p.table === 'metrics').map((p) => p.done)).toEqual([
      ...Array.from({ length: 15 }, (_, i) => i * 64),
      901,
    ]);

    for (const [table, order] of [
      ['runs', 'id'],
      ['metrics', 'id'],
      ['metric_rollups', 'run_id, key, level, bucket'],
      ['media', 'id'],
      ['registry_events', 'id'],
      ['api_tokens', 'id'],
    ] as const)
      expect(rows(to, table, order), table).toEqual(rows(source, table, order));
    const nan = to.sql
      .prepare(`SELECT value, flag FROM metrics WHERE run_id = ? AND key = 'loss' AND step = 7`)
      .get(runId);
    expect(nan).toEqual({ value: null, flag: 1 });
  });

  it('is safe to re-run: the second run copies nothing and reports the same checksums', () => {
    const to = target('rerun.db');
    const first = copyStore(source.sql, to.sql);
    const second = copyStore(source.sql, to.sql);
    expect(second.equal).toBe(true);
    expect(second.tables.map((t) => t.copied)).toEqual(second.tables.map(() => 0));
    expect(second.tables.map((t) => t.targetChecksum)).toEqual(first.tables.map((t) => t.sourceChecksum));
    // ids keep counting after the copied ones
    const id = Number(
      to.sql
        .prepare(
          `INSERT INTO metrics (run_id, key, step, wall_time, value) VALUES (?, 'new', 1, 1, 1) RETURNING id`,
        )
        .pluck()
        .get(runId),
    );
    const max = Number(source.sql.prepare(`SELECT max(id) FROM metrics`).pluck().get());
    expect(id).toBeGreaterThan(max);
  });

  it('refuses a target holding a different row under a source key, naming table and key, overwriting nothing', () => {
    const to = target('conflict.db');
    copyStore(source.sql, to.sql);
    to.sql.prepare(`UPDATE runs SET name = 'renamed on the server' WHERE id = ?`).run(runId);
    const call = () => copyStore(source.sql, to.sql);
    expect(call).toThrow(StoreCopyConflictError);
    expect(call).toThrow(`table runs, id="${runId}": the target holds a different row under this key`);
    expect(to.sql.prepare(`SELECT name FROM runs WHERE id = ?`).pluck().get(runId)).toBe(
      'renamed on the server',
    );
  });

  it('refuses a target row under another key that holds a unique value of a source row (ingest_files.path)', () => {
    const to = target('unique.db');
    to.sql
      .prepare(
        `INSERT INTO ingest_files (id, path, dir, rel_path, outcome, first_seen_at, last_seen_at) VALUES (77, '/logs/a.json', '/logs', 'a.json', 'ignored', 1, 1)`,
      )
      .run();
    expect(() => copyStore(source.sql, to.sql)).toThrow(
      /table ingest_files, id=1: the target has another row with the same unique value \(path\)/,
    );
  });

  it('copies into a target that already holds rows of another store, verifying only the source rows', () => {
    const to = target('shared.db');
    to.sql.prepare(`INSERT INTO experiments (name, created_at) VALUES ('other-machine', 1)`).run();
    to.sql
      .prepare(
        `INSERT INTO runs (id, experiment, status, started_at) VALUES ('zz-other', 'other-machine', 'FINISHED', 1)`,
      )
      .run();
    const report = copyStore(source.sql, to.sql);
    expect(report.equal).toBe(true);
    const runs = report.tables.find((t) => t.table === 'runs')!;
    expect(runs).toMatchObject({ sourceRows: 2, targetRows: 2, targetTotal: 3 });
  });
});
