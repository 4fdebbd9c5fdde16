/** A fingerprint of everything a request could change: every table of the store, and the published models folder. */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** sha256 over every row of every table of `<home>/tracking.db` (read-only) and every file under `<home>/models`. */
export function storeSnapshot(home: string): string {
  const hash = createHash('sha256');
  const db = new Database(join(home, 'tracking.db'), { readonly: true });
  try {
    const tables = db
      .prepare(
        `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`,
      )
      .pluck()
      .all() as string[];
    for (const t of tables) {
      hash.update(`table ${t}\n`);
      for (const row of db.prepare(`SELECT * FROM "${t}" ORDER BY rowid`).raw().all())
        hash.update(JSON.stringify(row));
    }
  } finally {
    db.close();
  }
  const models = join(home, 'models');
  if (existsSync(models))
    for (const f of readdirSync(models, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()))
      hash.update(readFileSync(join(f.parentPath, f.name)));
  return hash.digest('hex');
}
