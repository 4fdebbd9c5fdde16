/**
 * The ingest bench's floor: reading and parsing the files, plus writing the very rows the importer wrote for them
 * with bare better-sqlite3 prepared statements in one transaction (no lookups, no hashing, no health rules, no
 * JavaScript mapping). Importing cannot be faster than this on the same store schema.
 */
import { parsePythonJson } from '@kelly/legacy';
import { openTracker } from '@kelly/tracking';
import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Tables the importer writes, in foreign-key order. */
const TABLES = ['experiments', 'runs', 'metrics', 'metric_rollups', 'artifacts', 'anomalies', 'ingest_files'];

/** Every row the importer wrote (`INTEGER PRIMARY KEY` ids left out, SQLite assigns them), per table. */
export interface CapturedRows {
  tables: { table: string; columns: string[]; rows: unknown[][] }[];
  count: number;
}

export function captureRows(dbPath: string): CapturedRows {
  const t = openTracker({ path: dbPath, handleSignals: false });
  try {
    const tables = TABLES.map((table) => {
      const info = t.sql.prepare(`PRAGMA table_info(${table})`).all() as {
        name: string;
        type: string;
        pk: number;
      }[];
      const columns = info
        .filter((c) => !(c.pk === 1 && c.type.toUpperCase() === 'INTEGER'))
        .map((c) => c.name);
      const rows = t.sql
        .prepare(`SELECT ${columns.join(', ')} FROM ${table}`)
        .raw()
        .all() as unknown[][];
      return { table, columns, rows };
    });
    return { tables, count: tables.reduce((n, x) => n + x.rows.length, 0) };
  } finally {
    t.close();
  }
}

/**
 * Times: read every file of `dir` + `parsePythonJson`, then one transaction inserting `captured` into a fresh
 * store at `dbPath` (opened and migrated before the clock starts, same pragmas as the importer's).
 */
export async function writeFloor(
  dir: string,
  captured: CapturedRows,
  dbPath: string,
  /** `blocking`: read with readFileSync (as the importer reads since session 5) instead of fs.promises.readFile. */
  read: 'promises' | 'blocking' = 'promises',
): Promise<{ ms: number; cpuMs: number; parsed: number; rows: number }> {
  const t = openTracker({ path: dbPath, handleSignals: false });
  try {
    const statements = captured.tables.map((x) => ({
      insert: t.sql.prepare(
        `INSERT INTO ${x.table} (${x.columns.join(', ')}) VALUES (${x.columns.map(() => '?').join(', ')})`,
      ),
      rows: x.rows,
    }));
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    const files = entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
    let parsed = 0;
    for (let i = 0; i < files.length; i += 200) {
      const paths = files.slice(i, i + 200);
      const batch =
        read === 'blocking'
          ? paths.map((f) => readFileSync(f))
          : await Promise.all(paths.map((f) => readFile(f)));
      for (const b of batch) if (parsePythonJson(b).ok) parsed++;
    }
    t.sql.transaction(() => {
      for (const s of statements) for (const r of s.rows) s.insert.run(r);
    })();
    const c = process.cpuUsage(c0);
    return {
      ms: performance.now() - t0,
      cpuMs: (c.user + c.system) / 1000,
      parsed,
      rows: captured.count,
    };
  } finally {
    t.close();
  }
}
