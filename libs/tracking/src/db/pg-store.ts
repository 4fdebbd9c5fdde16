import type Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { PgSyncClient } from './pg-sync-client';
import * as schema from './schema';
import type { SqlClient } from './sql-client';

/** True when a store location is a PostgreSQL URL (`postgres://` or `postgresql://`) rather than a SQLite path. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/**
 * Opens the PostgreSQL store at `url` and applies its pending migrations (libs/tracking/drizzle-pg) in one
 * transaction under the store's write lock, so processes and servers opening one database at once do not race.
 * Bookkeeping is drizzle's own `drizzle.__drizzle_migrations`, as drizzle's node-postgres migrator keeps it.
 * `db` is drizzle's SQLite query builder over the same synchronous client: its SQL (double-quoted identifiers,
 * `?` placeholders) is the common subset both engines accept, and the PG schema stores values as SQLite does.
 */
export function openPgStore(
  url: string,
  migrationsFolder: string,
): {
  sql: SqlClient;
  db: BetterSQLite3Database<typeof schema>;
} {
  const client = new PgSyncClient(url);
  try {
    applyPgMigrations(client, migrationsFolder);
  } catch (e) {
    client.close();
    throw e;
  }
  // drizzle's better-sqlite3 session only calls prepare/run/get/all/raw and transaction(fn).deferred/immediate.
  const db = drizzle({ client: client as unknown as Database.Database, schema });
  return { sql: client, db };
}

function applyPgMigrations(client: PgSyncClient, migrationsFolder: string): void {
  const migrations = readMigrationFiles({ migrationsFolder });
  const newest = Math.max(-1, ...migrations.map((m) => m.folderMillis));
  const lastApplied = (): number => {
    const exists = client
      .prepare(`SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL`)
      .pluck()
      .get();
    if (!exists) return -1;
    const at = client
      .prepare(`SELECT created_at FROM drizzle.__drizzle_migrations ORDER BY created_at DESC LIMIT 1`)
      .pluck()
      .get();
    return at === undefined || at === null ? -1 : Number(at);
  };
  if (lastApplied() >= newest) return; // fast path, no lock
  client
    .transaction(() => {
      client.exec(
        `CREATE SCHEMA IF NOT EXISTS drizzle;
         CREATE TABLE IF NOT EXISTS drizzle.__drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)`,
      );
      const last = lastApplied();
      const insert = client.prepare(
        `INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES (?, ?)`,
      );
      for (const m of migrations) {
        if (m.folderMillis <= last) continue;
        for (const stmt of m.sql) if (stmt.trim()) client.exec(stmt);
        insert.run(m.hash, m.folderMillis);
      }
    })
    .immediate();
}
