import { is, SQL } from 'drizzle-orm';
import { getTableConfig as pgConfig, PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import * as pg from './pg-schema';
import * as sqlite from './schema';

/**
 * The two schemas describe one store: every table, column (name, value kind, nullability, default, enum),
 * primary key, index (columns, uniqueness, predicate) and foreign key (target, ON DELETE) must exist in both.
 * A table or column added to schema.ts alone fails here, so the next migration cannot forget PostgreSQL.
 */

interface Shape {
  columns: Record<string, string>;
  primaryKeys: string[];
  indexes: string[];
  foreignKeys: string[];
}

/** Text of a default or index predicate: `sql\`'[]'\`` → `'[]'`, false → `0`, 'live' → `'live'`. */
function sqlText(value: unknown): string {
  if (value === undefined) return '-';
  if (is(value, SQL)) {
    return value.queryChunks
      .map((c) => {
        const chunk = c as { value?: unknown; name?: string };
        if (Array.isArray(chunk.value)) return chunk.value.join('');
        return chunk.name ?? String(chunk.value);
      })
      .join('');
  }
  if (typeof value === 'boolean') return value ? '1' : '0';
  return typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
}

/** SQLite INTEGER ↔ PG bigint/integer (and 0/1 booleans), REAL ↔ double precision, TEXT ↔ text (JSON too). */
function kind(sqlType: string): string {
  const t = sqlType.toLowerCase();
  if (t === 'integer' || t === 'bigint') return 'integer';
  if (t === 'real' || t === 'double precision') return 'real';
  return t;
}

type AnyConfig = ReturnType<typeof sqliteConfig> | ReturnType<typeof pgConfig>;

function shape(config: AnyConfig, integerRowId: (c: AnyConfig['columns'][number]) => boolean): Shape {
  const name = (c: { name: string }) => c.name;
  return {
    columns: Object.fromEntries(
      config.columns.map((c) => [
        c.name,
        [
          kind(c.getSQLType()),
          c.notNull ? 'not null' : 'null',
          c.primary ? 'primary key' : '',
          integerRowId(c) ? 'auto id' : '',
          `default ${sqlText(c.default)}`,
          c.isUnique ? 'unique' : '',
          c.enumValues ? `enum ${c.enumValues.join('|')}` : '',
        ]
          .filter(Boolean)
          .join(' '),
      ]),
    ),
    primaryKeys: config.primaryKeys.map((pk) => pk.columns.map(name).join(',')),
    indexes: config.indexes
      .map((i) => {
        const cols = i.config.columns.map((c) => (is(c, SQL) ? sqlText(c) : (c as { name: string }).name));
        return `${i.config.name} ${i.config.unique ? 'unique ' : ''}(${cols.join(',')}) where ${sqlText(i.config.where)}`;
      })
      .sort(),
    foreignKeys: config.foreignKeys
      .map((fk) => {
        const r = fk.reference();
        return `(${r.columns.map(name).join(',')}) → ${tableName(r.foreignTable)}(${r.foreignColumns
          .map(name)
          .join(',')}) on delete ${fk.onDelete ?? 'no action'}`;
      })
      .sort(),
  };
}

function tableName(table: unknown): string {
  if (is(table, PgTable)) return pgConfig(table).name;
  if (is(table, SQLiteTable)) return sqliteConfig(table).name;
  throw new Error('not a table');
}

const sqliteTables = (Object.entries(sqlite) as [string, unknown][]).filter((e): e is [string, SQLiteTable] =>
  is(e[1], SQLiteTable),
);
const pgTables = (Object.entries(pg) as [string, unknown][]).filter((e): e is [string, PgTable] =>
  is(e[1], PgTable),
);

describe('PostgreSQL schema parity with the SQLite schema', () => {
  it('exports the same tables under the same names', () => {
    expect(sqliteTables.length).toBeGreaterThanOrEqual(16);
    const names = (tables: [string, unknown][]) =>
      tables.map(([exported, t]) => `${exported}=${tableName(t)}`).sort();
    expect(names(pgTables)).toEqual(names(sqliteTables));
  });

  it.each(sqliteTables.map(([exported]) => exported))(
    '%s: same columns, keys, indexes and foreign keys',
    (exported) => {
      const s = sqliteConfig(sqlite[exported as keyof typeof sqlite] as SQLiteTable);
      const p = pgConfig(pg[exported as keyof typeof pg] as PgTable);
      // SQLite's INTEGER PRIMARY KEY is the rowid (assigned when omitted); its PG twin is an identity column.
      const sqliteShape = shape(s, (c) => c.primary && kind(c.getSQLType()) === 'integer');
      const pgShape = shape(p, (c) => (c as { generatedIdentity?: unknown }).generatedIdentity !== undefined);
      expect(Object.keys(sqliteShape.columns).length).toBe(s.columns.length);
      expect(pgShape).toEqual(sqliteShape);
    },
  );

  it('notices a difference (a column only in one schema fails the comparison)', () => {
    const s = shape(sqliteConfig(sqlite.runs), () => false);
    const p = shape(pgConfig(pg.runs), () => false);
    const { notes: _dropped, ...withoutNotes } = p.columns;
    expect({ ...p, columns: withoutNotes }).not.toEqual(s);
    expect(p.indexes.slice(1)).not.toEqual(s.indexes);
  });
});
