import { testStoreLocation } from '@kelly/test-support';
import { getTableColumns, getTableName, is } from 'drizzle-orm';
import { SQLiteTable } from 'drizzle-orm/sqlite-core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { bySql, openTracker } from '../index';
import type { RunItemRow } from '../queries/run-item';
import * as schema from './schema';
import type { RunStatus, SqlRow } from './schema';

const tables: SQLiteTable[] = (Object.values(schema) as unknown[]).filter((v): v is SQLiteTable =>
  is(v, SQLiteTable),
);

describe('SqlRow: raw row types derived from the schema', () => {
  it('types each column under its SQL name as the driver returns it (checked by tsc)', () => {
    type Run = SqlRow<typeof schema.runs>;
    expectTypeOf<Run['status']>().toEqualTypeOf<RunStatus>();
    expectTypeOf<Run['started_at']>().toEqualTypeOf<number>();
    expectTypeOf<Run['ended_at']>().toEqualTypeOf<number | null>();
    expectTypeOf<Run['source_missing']>().toEqualTypeOf<number>(); // boolean mode: 0 | 1 from the driver
    expectTypeOf<Run['tags']>().toEqualTypeOf<string>(); // JSON columns come back as their text
    expectTypeOf<Run['system']>().toEqualTypeOf<string | null>();
    expectTypeOf<RunItemRow>().toMatchTypeOf<Partial<Run>>();
    expectTypeOf<keyof Run>().not.toEqualTypeOf<string>(); // literal column names, not an index signature
  });

  it('a row the store really returns has exactly the schema columns of its table, for every table', () => {
    const t = openTracker({ path: testStoreLocation(':memory:'), handleSignals: false });
    try {
      expect(tables.length).toBeGreaterThan(10);
      for (const table of tables) {
        const name = getTableName(table);
        const columnsSql = bySql(t.sql, {
          sqlite: `SELECT name FROM pragma_table_info(?)`,
          postgres: `SELECT column_name AS name FROM information_schema.columns
                     WHERE table_schema = current_schema() AND table_name = ?`,
        });
        const stored = (t.sql.prepare(columnsSql).all(name) as { name: string }[]).map((c) => c.name).sort();
        const declared = Object.values(getTableColumns(table))
          .map((c) => c.name)
          .sort();
        expect(stored, name).toEqual(declared);
      }
    } finally {
      t.close();
    }
  });
});
