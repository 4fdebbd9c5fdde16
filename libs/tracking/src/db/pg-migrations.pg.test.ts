import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { is } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { testDatabaseUrl } from '@kelly/test-support';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as schema from './pg-schema';
import { defaultPgMigrationsFolder } from './store';

/**
 * The committed PostgreSQL migrations, applied to an empty database on a real server, create exactly pg-schema.ts:
 * every table, column (type, nullability, default), primary key, index and foreign key. Runs in tracking@pg only.
 */
const tables = (Object.values(schema) as unknown[])
  .filter((v): v is PgTable => is(v, PgTable))
  .map(getTableConfig);
const client = new pg.Client({ connectionString: testDatabaseUrl('migrations') });

const rows = async <T>(text: string, values: unknown[] = []): Promise<T[]> =>
  (await client.query(text, values)).rows as T[];

beforeAll(async () => {
  await client.connect();
  for (const m of readMigrationFiles({ migrationsFolder: defaultPgMigrationsFolder })) {
    for (const stmt of m.sql) if (stmt.trim()) await client.query(stmt);
  }
});
afterAll(() => client.end());

describe('PostgreSQL migrations (drizzle-pg/) on a real server', () => {
  it('create every table of pg-schema.ts and nothing else', async () => {
    const stored = await rows<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
    );
    expect(stored.map((r) => r.table_name)).toEqual(tables.map((t) => t.name).sort());
  });

  it.each(tables.map((t) => [t.name, t] as const))(
    '%s: columns with their types, nullability and defaults',
    async (name, table) => {
      const stored = await rows<{
        column_name: string;
        data_type: string;
        is_nullable: string;
        column_default: string | null;
        is_identity: string;
      }>(
        `SELECT column_name, data_type, is_nullable, column_default, is_identity
         FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY column_name`,
        [name],
      );
      const declared = table.columns
        .map((c) => ({
          column_name: c.name,
          data_type: c.getSQLType(),
          is_nullable: c.notNull ? 'NO' : 'YES',
          has_default: c.hasDefault && c.generatedIdentity === undefined,
          is_identity: c.generatedIdentity ? 'YES' : 'NO',
        }))
        .sort((a, b) => a.column_name.localeCompare(b.column_name, 'en'));
      expect(
        stored.map(({ column_default, ...r }) => ({ ...r, has_default: column_default !== null })),
      ).toEqual(declared);
    },
  );

  it('create every index (with its uniqueness and predicate), primary key and foreign key', async () => {
    const indexes = await rows<{ indexname: string; indexdef: string }>(
      `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'`,
    );
    const byName = new Map(indexes.map((i) => [i.indexname, i.indexdef]));
    for (const t of tables) {
      for (const i of t.indexes) {
        const name = i.config.name ?? `unnamed index of ${t.name}`;
        const def = byName.get(name);
        expect(def, name).toBeDefined();
        expect(def?.startsWith(i.config.unique ? 'CREATE UNIQUE INDEX' : 'CREATE INDEX'), name).toBe(true);
        expect(def?.includes(' WHERE '), name).toBe(i.config.where !== undefined);
      }
    }
    expect(byName.get('metrics_special_idx')).toMatch(
      / WHERE \(\(flag <> 0\) OR \(value = \(0\)::double precision\)\)$/,
    );
    const constraints = await rows<{ table_name: string; constraint_type: string; n: string }>(
      `SELECT table_name, constraint_type, count(*) AS n FROM information_schema.table_constraints
        WHERE table_schema = 'public' AND constraint_type IN ('PRIMARY KEY', 'FOREIGN KEY')
        GROUP BY 1, 2`,
    );
    for (const t of tables) {
      const count = (type: string) =>
        Number(constraints.find((c) => c.table_name === t.name && c.constraint_type === type)?.n ?? 0);
      expect(count('PRIMARY KEY'), t.name).toBe(1);
      expect(count('FOREIGN KEY'), t.name).toBe(t.foreignKeys.length);
    }
  });

  it('delete on cascade and set null as declared: removing a run removes its points and unlinks its ingest file', async () => {
    await client.query(`INSERT INTO experiments (name, created_at) VALUES ('e', 1)`);
    await client.query(
      `INSERT INTO runs (id, experiment, status, started_at) VALUES ('r1', 'e', 'RUNNING', 1)`,
    );
    await client.query(
      `INSERT INTO metrics (run_id, key, step, wall_time, value) VALUES ('r1', 'loss', 1, 2, 0.5)`,
    );
    await client.query(
      `INSERT INTO ingest_files (path, dir, rel_path, outcome, run_id, first_seen_at, last_seen_at)
       VALUES ('/x', '/', 'x', 'imported', 'r1', 1, 1)`,
    );
    const [run] = await rows<{ tags: string; config: string; source: string; source_missing: number }>(
      `SELECT tags, config, source, source_missing FROM runs WHERE id = 'r1'`,
    );
    expect(run).toEqual({ tags: '[]', config: '{}', source: 'live', source_missing: 0 });
    await client.query(`DELETE FROM runs WHERE id = 'r1'`);
    expect(await rows(`SELECT * FROM metrics`)).toEqual([]);
    expect(await rows(`SELECT run_id FROM ingest_files`)).toEqual([{ run_id: null }]);
  });
});
