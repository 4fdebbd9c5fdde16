import type { SqlClient, SqlStatement } from './db/sql-client';

/** Rows per multi-row INSERT statement (a partial last chunk gets a statement of its own size). */
const CHUNK = 32;

const CACHE = new WeakMap<SqlClient, Map<string, SqlStatement>>();

/**
 * Inserts `rows` (each one value per column, in column order) into `table` with multi-row
 * `INSERT ... VALUES (...), (...)` statements of up to CHUNK rows, prepared once per connection and shape.
 * Same rows, same order as one INSERT per row; a constraint failure throws as it would there (call inside the
 * caller's transaction so a failure rolls back the rows already written). `onConflictDoNothing` skips rows that
 * would break a unique key.
 */
export function insertRows(
  sqlite: SqlClient,
  table: string,
  columns: readonly string[],
  rows: readonly unknown[][],
  options: { onConflictDoNothing?: boolean } = {},
): void {
  const conflict = options.onConflictDoNothing ? ' ON CONFLICT DO NOTHING' : '';
  let cache = CACHE.get(sqlite);
  if (!cache) CACHE.set(sqlite, (cache = new Map<string, SqlStatement>()));
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
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
