import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withBusyRetry } from '../sqlite-retry';
import * as schema from './schema';
import { isPostgresUrl, openPgStore } from './pg-store';
import { sqliteClient, type SqlClient } from './sql-client';

export type TrackingDb = BetterSQLite3Database<typeof schema>;

/**
 * Where the committed drizzle-kit migrations live (libs/tracking/drizzle). Built with join(), not
 * `new URL('../../drizzle', import.meta.url)`: bundlers (Next/Turbopack, for the dashboard) treat that
 * form as an asset import and fail; they keep import.meta.url as the source file's URL.
 */
export const defaultMigrationsFolder = join(dirname(fileURLToPath(import.meta.url)), '../../drizzle');
/** The PostgreSQL store's committed migrations (libs/tracking/drizzle-pg, from pg-schema.ts), found the same way. */
export const defaultPgMigrationsFolder = join(dirname(fileURLToPath(import.meta.url)), '../../drizzle-pg');

export interface StoreOptions {
  /**
   * SQLite file (parent folders are created), `:memory:`, or a PostgreSQL URL (`postgres://user:pass@host/db`,
   * `postgresql://…`).
   */
  path: string;
  /** ms a writer waits for the lock before SQLITE_BUSY (default 15000). */
  busyTimeoutMs?: number;
  /** SQLite migrations (default libs/tracking/drizzle). */
  migrationsFolder?: string;
  /** PostgreSQL migrations (default libs/tracking/drizzle-pg). */
  pgMigrationsFolder?: string;
}

export interface Store {
  sql: SqlClient;
  db: TrackingDb;
}

/**
 * Opens the store at `path`: a PostgreSQL URL goes to openPgStore (pg-store.ts). Otherwise the SQLite store: WAL, busy timeout, foreign keys, then applies pending migrations.
 * Migrations run under BEGIN IMMEDIATE so several processes opening a fresh file at once do not race;
 * the bookkeeping table is drizzle's own `__drizzle_migrations`, so drizzle's migrator agrees with it.
 */
export function openStore(options: StoreOptions): Store {
  if (isPostgresUrl(options.path))
    return openPgStore(options.path, options.pgMigrationsFolder ?? defaultPgMigrationsFolder);
  if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
  const sqlite = new Database(options.path);
  sqlite.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 15_000}`);
  if (options.path !== ':memory:') {
    // Switching a fresh file to WAL needs an exclusive lock, and SQLite returns SQLITE_BUSY at once (without
    // its busy handler) when another process opening the same file holds the lock: retry instead of failing.
    withBusyRetry(() => sqlite.pragma('journal_mode = WAL'), 100);
    // Checkpoint every ~40 MB of WAL instead of 4 MB: batched metric writes commit often, and each checkpoint
    // syncs the database file (measured: 1.35x faster logging). The WAL file is truncated back to 64 MB after.
    sqlite.pragma('wal_autocheckpoint = 10000');
    sqlite.pragma('journal_size_limit = 67108864');
  }
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  withBusyRetry(() => applyMigrations(sqlite, options.migrationsFolder ?? defaultMigrationsFolder), 100);
  return { sql: sqliteClient(sqlite), db: drizzle(sqlite, { schema }) };
}

function applyMigrations(sqlite: Database.Database, migrationsFolder: string): void {
  const migrations = readMigrationFiles({ migrationsFolder });
  const lastApplied = (): number => {
    const row = sqlite
      .prepare(`SELECT created_at AS at FROM __drizzle_migrations ORDER BY created_at DESC LIMIT 1`)
      .get() as { at: number | string } | undefined;
    return row ? Number(row.at) : -1;
  };
  const hasTable = () =>
    sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE type='table' AND name='__drizzle_migrations'`).get() !==
    undefined;
  const newest = Math.max(-1, ...migrations.map((m) => m.folderMillis));
  if (hasTable() && lastApplied() >= newest) return; // fast path, no write lock
  sqlite
    .transaction(() => {
      sqlite.exec(
        `CREATE TABLE IF NOT EXISTS __drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`,
      );
      const last = lastApplied();
      const insert = sqlite.prepare(`INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)`);
      for (const m of migrations) {
        if (m.folderMillis <= last) continue;
        for (const stmt of m.sql) if (stmt.trim()) sqlite.exec(stmt);
        insert.run(m.hash, m.folderMillis);
      }
    })
    .immediate();
}
