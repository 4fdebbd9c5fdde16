import type { SQLiteTable } from 'drizzle-orm/sqlite-core';

type Columns<T extends SQLiteTable> = T['_']['columns'];

/** One column's value as better-sqlite3 returns it: text as its (enum) type, others as the driver type. */
type DriverValue<C> = C extends {
  _: { dataType: infer D; data: infer V; driverParam: infer P; notNull: infer N };
}
  ? (D extends 'string' ? V : P) | (N extends true ? never : null)
  : never;

/**
 * The row a raw prepared statement (`sqlite.prepare('SELECT * FROM t')`) returns for drizzle table `T`, derived
 * from the schema: one property per column under its SQL name (snake_case), typed as the driver returns it
 * (text → string or its enum, integer/real → number, boolean mode → 0 | 1 as number, JSON columns → their text),
 * `| null` unless NOT NULL. Renaming or retyping a column in schema.ts changes this type, so every raw read that
 * uses the old name fails `tsc`. Select a subset with `Pick<SqlRow<typeof t>, 'a' | 'b'>`.
 */
export type SqlRow<T extends SQLiteTable> = {
  [K in keyof Columns<T> as Columns<T>[K]['_']['name']]: DriverValue<Columns<T>[K]>;
};
