import type { SqlClient } from '../db/sql-client';
import { rowText, TableChecksum } from './row-checksum';
import { storeTables, type StoreTable } from './store-tables';

/** What the copy did to one table, and its verification. */
export interface TableCopyReport {
  table: string;
  /** Rows in the source. */
  sourceRows: number;
  /** Rows written to the target by this copy (0 when run again). */
  copied: number;
  /** Target rows whose key is in the source (equal to sourceRows when verified). */
  targetRows: number;
  /** Rows in the target table in all (more when it also holds rows of another store). */
  targetTotal: number;
  /** Checksum of the source rows and of the target rows under the same keys (row-checksum.ts). */
  sourceChecksum: string;
  targetChecksum: string;
  /** Counts and checksums agree. */
  equal: boolean;
}

export interface StoreCopyReport {
  tables: TableCopyReport[];
  /** Every table verified equal. */
  equal: boolean;
}

/** The target holds a different row under one of the source's keys: nothing of that batch is written. */
export class StoreCopyConflictError extends Error {
  constructor(
    readonly table: string,
    readonly key: string,
    detail: string,
  ) {
    super(
      `table ${table}, ${key}: ${detail}; the target was left as it was for this batch (nothing overwritten)`,
    );
    this.name = 'StoreCopyConflictError';
  }
}

export interface CopyProgress {
  table: string;
  /** Source rows handled so far, of `total`. */
  done: number;
  total: number;
}

export interface CopyStoreOptions {
  /** Rows per INSERT and per transaction (default 1000; fewer for wide tables, under 30,000 parameters). */
  batchRows?: number;
  /** Called before a table's first batch and after each batch. */
  onProgress?: (p: CopyProgress) => void;
}

const q = (name: string) => `"${name}"`;
const MAX_PARAMS = 30_000;

/**
 * Copies every table of the schema (storeTables(): parents first) from `source` to `target`, batch by batch, each
 * batch in one target transaction: `INSERT … ON CONFLICT DO NOTHING`, then the batch's keys are read back from the
 * target and compared row by row with the source. A row already there and equal is counted, not written again (so
 * a second run copies nothing); a different row under the same key, or another row holding a unique value (e.g.
 * `ingest_files.path`), throws {@link StoreCopyConflictError} naming the table and key, and that batch is rolled
 * back. The source is read in one transaction (one snapshot). Identity sequences of the target are moved past the
 * copied ids. Then each table is verified by reading the whole target table again: count and checksum of the source
 * rows, and of the target rows whose keys the source has (computed alike, row-checksum.ts).
 */
export function copyStore(
  source: SqlClient,
  target: SqlClient,
  options: CopyStoreOptions = {},
): StoreCopyReport {
  const tables: TableCopyReport[] = [];
  source.exec('BEGIN');
  try {
    for (const t of storeTables()) tables.push(copyTable(source, target, t, options));
  } finally {
    source.exec('COMMIT');
  }
  return { tables, equal: tables.every((t) => t.equal) };
}

function copyTable(
  source: SqlClient,
  target: SqlClient,
  t: StoreTable,
  options: CopyStoreOptions,
): TableCopyReport {
  const cols = t.columns.map(q).join(', ');
  const keyCols = t.key.map(q).join(', ');
  const keyIdx = t.key.map((k) => t.columns.indexOf(k));
  const keyOf = (row: unknown[]) => keyIdx.map((i) => row[i]);
  const describeKey = (row: unknown[]) =>
    t.key.map((k, i) => `${k}=${JSON.stringify(row[keyIdx[i]!])}`).join(', ');
  const rowPh = `(${t.columns.map(() => '?').join(', ')})`;
  const keyPh = `(${t.key.map(() => '?').join(', ')})`;
  const size = Math.max(1, Math.min(options.batchRows ?? 1000, Math.floor(MAX_PARAMS / t.columns.length)));

  const total = Number(
    source
      .prepare(`SELECT count(*) FROM ${q(t.name)}`)
      .pluck()
      .get(),
  );
  const sourceSum = new TableChecksum();
  const targetSum = new TableChecksum();
  let copied = 0;
  let done = 0;
  options.onProgress?.({ table: t.name, done, total });

  const flush = (batch: unknown[][]) => {
    target
      .transaction(() => {
        const insert = `INSERT INTO ${q(t.name)} (${cols}) VALUES ${batch.map(() => rowPh).join(', ')} ON CONFLICT DO NOTHING`;
        copied += target.prepare(insert).run(...batch.flat()).changes;
        const stored = target
          .prepare(
            `SELECT ${cols} FROM ${q(t.name)} WHERE (${keyCols}) IN (${batch.map(() => keyPh).join(', ')})`,
          )
          .raw()
          .all(...batch.flatMap(keyOf)) as unknown[][];
        const byKey = new Map(stored.map((row) => [rowText(keyOf(row)), row]));
        for (const row of batch) {
          const there = byKey.get(rowText(keyOf(row)));
          if (!there) {
            const unique = t.unique.map((u) => u.join(', ')).join('; ');
            throw new StoreCopyConflictError(
              t.name,
              describeKey(row),
              `the target has another row with the same unique value${unique ? ` (${unique})` : ''}`,
            );
          }
          if (rowText(there) !== rowText(row))
            throw new StoreCopyConflictError(
              t.name,
              describeKey(row),
              'the target holds a different row under this key',
            );
        }
      })
      .immediate();
    done += batch.length;
    options.onProgress?.({ table: t.name, done, total });
  };

  let batch: unknown[][] = [];
  const read = source.prepare(`SELECT ${cols} FROM ${q(t.name)} ORDER BY ${keyCols}`).raw();
  for (const row of read.iterate() as IterableIterator<unknown[]>) {
    sourceSum.add(row);
    batch.push(row);
    if (batch.length === size) {
      flush(batch);
      batch = [];
    }
  }
  if (batch.length) flush(batch);

  if (t.identity && target.dialect === 'postgres') {
    // Copied rows keep their ids: move the identity sequence past them so new rows get fresh ones.
    target
      .prepare(
        `SELECT setval(pg_get_serial_sequence(?, ?), max_id) FROM (SELECT max(${q(t.identity)}) AS max_id FROM ${q(t.name)}) m WHERE max_id IS NOT NULL`,
      )
      .all(q(t.name), t.identity);
  }
  // Verification, independent of the copy: every target row, read back page by page in key order, is checksummed
  // when its key is in the source (rows of another store copied into the same target are counted apart).
  let targetTotal = 0;
  let last: unknown[] | null = null;
  for (;;) {
    const page = target
      .prepare(
        `SELECT ${cols} FROM ${q(t.name)} ${last ? `WHERE (${keyCols}) > ${keyPh}` : ''} ORDER BY ${keyCols} LIMIT ${size}`,
      )
      .raw()
      .all(...(last ?? [])) as unknown[][];
    if (!page.length) break;
    targetTotal += page.length;
    const ours = new Set(
      (
        source
          .prepare(
            `SELECT ${keyCols} FROM ${q(t.name)} WHERE (${keyCols}) IN (${page.map(() => keyPh).join(', ')})`,
          )
          .raw()
          .all(...page.flatMap(keyOf)) as unknown[][]
      ).map(rowText),
    );
    for (const row of page) if (ours.has(rowText(keyOf(row)))) targetSum.add(row);
    last = keyOf(page[page.length - 1]!);
  }
  return {
    table: t.name,
    sourceRows: sourceSum.rows,
    copied,
    targetRows: targetSum.rows,
    targetTotal,
    sourceChecksum: sourceSum.hex,
    targetChecksum: targetSum.hex,
    equal: sourceSum.rows === targetSum.rows && sourceSum.hex === targetSum.hex,
  };
}
