import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testDatabaseUrl } from '@kelly/test-support';
import { openTracker, readRun } from '@kelly/tracking';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../main';

/** `kelly migrate` from a real SQLite store into a real PostgreSQL database (cli@pg only). */
const home = mkdtempSync(join(tmpdir(), 'kelly-cli-migrate-pg-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

async function kelly(args: string[]) {
  let out = '';
  let err = '';
  const code = await main(
    ['node', 'kelly', '--home', home, ...args],
    { out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n') },
    {},
  );
  return { code, out, err };
}

interface Report {
  equal: boolean;
  to: string;
  tables: {
    table: string;
    sourceRows: number;
    copied: number;
    sourceChecksum: string;
    targetChecksum: string;
  }[];
}

let runId = '';
beforeAll(async () => {
  const t = openTracker({ home, handleSignals: false });
  const run = await t.startRun({ experiment: 'melodytransformer', config: { lr: 0.01 }, tags: ['moved'] });
  runId = run.id;
  for (let step = 0; step < 200; step++)
    run.logMetrics({ loss: step === 5 ? NaN : 1 / (step + 1), val_loss: 0.4 }, { step, epoch: step >> 4 });
  await run.end();
  t.close();
});

describe('kelly migrate --to postgres://', () => {
  it('copies the store, prints per-table counts and checksums, and the run reads the same from PostgreSQL', async () => {
    const url = testDatabaseUrl('migrate');
    const r = await kelly(['migrate', '--to', url]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^TABLE\s+SOURCE ROWS\s+COPIED\s+TARGET ROWS\s+SOURCE CHECKSUM\s+TARGET CHECKSUM/m);
    expect(r.out).toMatch(/^metrics\s+400\s+400\s+400\s+([0-9a-f]{16})\s+\1\s+ok$/m);
    expect(r.out).toContain(`verified: every table of ${join(home, 'tracking.db')} is in ${url}`);
    // not a terminal here: one progress line per table on stderr
    expect(r.err).toContain('metrics: 400 row(s) copied or checked');

    const sqlite = openTracker({ home, handleSignals: false });
    const pg = openTracker({ home, path: url, handleSignals: false });
    try {
      expect(readRun(pg, runId)).toEqual(readRun(sqlite, runId));
    } finally {
      sqlite.close();
      pg.close();
    }
  });

  it('a second run copies nothing and reports the same checksums (--json)', async () => {
    const url = testDatabaseUrl('migrate_twice');
    const first = await kelly(['migrate', '--to', url, '--json', '--batch', '50']);
    const second = await kelly(['migrate', '--to', url, '--json']);
    expect([first.code, second.code]).toEqual([0, 0]);
    const [a, b] = [JSON.parse(first.out) as Report, JSON.parse(second.out) as Report];
    expect(a.equal && b.equal).toBe(true);
    expect(a.tables.find((t) => t.table === 'runs')).toMatchObject({ sourceRows: 1, copied: 1 });
    expect(b.tables.every((t) => t.copied === 0)).toBe(true);
    expect(b.tables.map((t) => t.targetChecksum)).toEqual(a.tables.map((t) => t.sourceChecksum));
  });

  it('refuses a target whose row differs under a source key (exit 1, naming table and key)', async () => {
    const url = testDatabaseUrl('migrate_conflict');
    expect((await kelly(['migrate', '--to', url])).code).toBe(0);
    const pg = openTracker({ home, path: url, handleSignals: false });
    pg.sql.prepare(`UPDATE runs SET notes = 'edited on the server' WHERE id = ?`).run(runId);
    pg.close();
    const r = await kelly(['migrate', '--to', url]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`table runs, id="${runId}": the target holds a different row under this key`);
  });

  it('names --to (password masked) when the server cannot be reached', async () => {
    const r = await kelly(['migrate', '--to', 'postgres://kelly:s3cr3t@127.0.0.1:1/none']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('kelly: --to postgres://kelly:***@127.0.0.1:1/none: ');
    expect(r.err).not.toContain('s3cr3t');
  });
});
