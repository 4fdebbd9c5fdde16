import type Database from 'better-sqlite3';

/** Which SQL engine a `SqlClient` talks to. */
export type SqlDialect = 'sqlite' | 'postgres';

/** What `run()` reports: rows changed, and SQLite's rowid of the last insert (on PostgreSQL only via RETURNING). */
export interface SqlRunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

/**
 * A prepared statement, synchronous, as better-sqlite3 defines it. Parameters are positional (`?`) or one object
 * for named ones (`@name`). `get`/`all`/`iterate` return rows as objects keyed by column name; after `raw()` as
 * arrays in column order; after `pluck()` the first column only.
 */
export interface SqlStatement {
  run(...params: unknown[]): SqlRunResult;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  iterate(...params: unknown[]): IterableIterator<unknown>;
  pluck(toggleState?: boolean): this;
  raw(toggleState?: boolean): this;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any: a transaction wraps a function of any arguments, as better-sqlite3 types it
export type AnyFn = (...args: any[]) => unknown;
export type Args<F extends AnyFn> = F extends (...args: infer A) => unknown ? A : never;

/**
 * `client.transaction(fn)` returns a function that runs `fn` in a transaction (a savepoint when nested): it commits
 * when `fn` returns and rolls back when it throws. `immediate` takes the write lock at once (SQLite BEGIN IMMEDIATE;
 * on PostgreSQL one advisory lock shared by every writer of the database).
 */
export interface SqlTransaction<F extends AnyFn> {
  (...params: Args<F>): ReturnType<F>;
  default(...params: Args<F>): ReturnType<F>;
  immediate(...params: Args<F>): ReturnType<F>;
}

/**
 * The synchronous SQL client the data layer is written against: the part of better-sqlite3's `Database` it uses,
 * plus `dialect`. better-sqlite3 itself is the SQLite client (`sqliteClient`), so the SQLite path has no extra
 * layer per statement; `PgSyncClient` implements it over node-postgres.
 */
export interface SqlClient {
  readonly dialect: SqlDialect;
  readonly open: boolean;
  readonly inTransaction: boolean;
  prepare(source: string): SqlStatement;
  /** Runs one or more statements without parameters. */
  exec(source: string): unknown;
  transaction<F extends AnyFn>(fn: F): SqlTransaction<F>;
  close(): unknown;
  /** SQLite only (undefined on PostgreSQL): better-sqlite3's `pragma`. */
  pragma?(source: string, options?: { simple?: boolean }): unknown;
}

/** The SQLite client: the better-sqlite3 database itself, tagged with its dialect. */
export function sqliteClient(db: Database.Database): Database.Database & SqlClient {
  return Object.assign(db, { dialect: 'sqlite' as const });
}

/** Picks the SQL text (or anything else) written for the client's dialect. */
export function bySql<T>(client: Pick<SqlClient, 'dialect'>, choices: Record<SqlDialect, T>): T {
  return choices[client.dialect];
}

/**
 * A table of the elements of a JSON array (`expr`: SQL text evaluating to the array's JSON text), one row each,
 * its column `value` (the element; text for strings). Use as `… IN (SELECT value FROM ${jsonArrayValues(c, '?')})`.
 */
export function jsonArrayValues(client: Pick<SqlClient, 'dialect'>, expr: string): string {
  return bySql(client, { sqlite: `json_each(${expr})`, postgres: `json_array_elements_text(${expr}::json)` });
}

/** `LIKE` as SQLite has it (ASCII case-insensitive): `ILIKE` on PostgreSQL. */
export function likeNoCase(client: Pick<SqlClient, 'dialect'>): string {
  return bySql(client, { sqlite: 'LIKE', postgres: 'ILIKE' });
}
