import type { SqlClient, SqlStatement } from './db/sql-client';

/**
 * Rows per multi-row INSERT statement (a partial last chunk gets a statement of its own size). PostgreSQL: as many
 * as its 65,535 bind parameters allow (up to 1,000 rows), since each statement is a round trip to the server.
 */
const chunkRows = (sql: SqlClient, columns: number) =>
  sql.dialect === 'postgres' ? Math.max(1, Math.min(1000, Math.floor(65_535 / columns))) : 32;

const CACHE = new WeakMap<SqlClient, Map<string, SqlStatement>>();

/**
 * Inserts `rows` (each one value per column, in column order) into `table` with multi-row
 * `INSERT ... VALUES (...), (...)` statements of up to CHUNK rows, prepared once per connection and shape.
 * Same rows, same order as one INSERT per row; a constraint failure throws as it would there (call inside the
 * caller's transaction so a failure rolls back the rows already written). `onConflictDoNothing` skips rows that
 * would break a unique key; `onConflict` is any conflict clause (`ON CONFLICT (…) DO UPDATE SET …`: then a row may
 * appear once per call).
 */
export function insertRows(
  sqlite: SqlClient,
  table: string,
  columns: readonly string[],
  rows: readonly unknown[][],
  options: { onConflictDoNothing?: boolean; onConflict?: string } = {},
): void {
  const conflict = options.onConflict
    ? ` ${options.onConflict}`
    : options.onConflictDoNothing
      ? ' ON CONFLICT DO NOTHING'
      : '';
  let cache = CACHE.get(sqlite);
  if (!cache) CACHE.set(sqlite, (cache = new Map<string, SqlStatement>()));
  const size = chunkRows(sqlite, columns.length);
  for (let i = 0; i < rows.length; i += size) {
    const chunk = rows.slice(i, i + size);
    const key = `${table}(${columns.join(',')})×${chunk.length}${conflict}`;
    let st = cache.get(key);
    if (!st) {
      const tuple = `(${columns.map(() => '?').join(', ')})`;
      st = sqlite.prepare(
        `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array.from(chunk, () => tuple).join(', ')}${conflict}`,
      );
      cache.set(key, st);
    }
    st.run(chunk.flat());
  }
}
