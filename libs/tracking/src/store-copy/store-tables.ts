import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { is } from 'drizzle-orm';
import * as schema from '../db/schema';

/** One table of the store as the copier sees it: SQL names only. */
export interface StoreTable {
  name: string;
  /** Every column, in schema order. */
  columns: string[];
  /** Primary key columns (one, or the composite key's). */
  key: string[];
  /** The integer primary key PostgreSQL numbers with an identity sequence (`id`), if any. */
  identity: string | null;
  /** Tables this one references (foreign keys). */
  references: string[];
  /** Columns of each unique index besides the primary key. */
  unique: string[][];
}

function describe(table: SQLiteTable): StoreTable {
  const c = getTableConfig(table);
  const single = c.columns.filter((col) => col.primary).map((col) => col.name);
  const key = single.length ? single : (c.primaryKeys[0]?.columns.map((col) => col.name) ?? []);
  if (!key.length) throw new Error(`table ${c.name} has no primary key: the store copier needs one`);
  const intKey =
    single.length === 1 && c.columns.find((col) => col.name === single[0])?.getSQLType() === 'integer';
  return {
    name: c.name,
    columns: c.columns.map((col) => col.name),
    key,
    identity: intKey ? single[0]! : null,
    unique: c.indexes
      .filter((i) => i.config.unique)
      .map((i) => i.config.columns.map((col) => (col as { name: string }).name)),
    references: [
      ...new Set(c.foreignKeys.map((fk) => getTableConfig(fk.reference().foreignTable).name)),
    ].filter((t) => t !== c.name),
  };
}

/**
 * Every table of the schema (schema.ts, so a new table is never left out), ordered so each comes after the tables
 * its foreign keys reference; ties in schema order.
 */
export function storeTables(): StoreTable[] {
  const all = (Object.values(schema) as unknown[])
    .filter((v): v is SQLiteTable => is(v, SQLiteTable))
    .map(describe);
  const done = new Set<string>();
  const out: StoreTable[] = [];
  while (out.length < all.length) {
    const next = all.find((t) => !done.has(t.name) && t.references.every((r) => done.has(r)));
    if (!next) throw new Error('the schema has a foreign-key cycle: no table order satisfies it');
    done.add(next.name);
    out.push(next);
  }
  return out;
}
