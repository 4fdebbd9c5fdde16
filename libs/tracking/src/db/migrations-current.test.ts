import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '@kelly/test-support';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The committed migrations are what drizzle-kit generates from the schemas: running `drizzle-kit generate` on a
 * copy of each migrations folder adds nothing. A schema change without its migration (SQLite or PostgreSQL)
 * fails here.
 */
const LIB = join(REPO_ROOT, 'libs', 'tracking');
const DRIZZLE_KIT = join(REPO_ROOT, 'node_modules', '.bin', 'drizzle-kit');
const root = mkdtempSync(join(tmpdir(), 'kelly-migrations-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Generates into a copy of `folder` (or an empty one) and returns the .sql files added. */
function generate(dialect: 'sqlite' | 'postgresql', schema: string, folder: string | undefined): string[] {
  const dir = mkdtempSync(join(root, `${dialect}-`));
  const out = join(dir, 'out');
  if (folder) cpSync(join(LIB, folder), out, { recursive: true });
  else mkdirSync(out);
  const sqlFiles = () => readdirSync(out).filter((f) => f.endsWith('.sql'));
  const before = sqlFiles();
  // drizzle-kit resolves `out` against its working directory, so the config names it relatively.
  const config = { dialect, schema: join(LIB, 'src', 'db', schema), out: './out' };
  writeFileSync(join(dir, 'drizzle.config.json'), JSON.stringify(config));
  const r = spawnSync(DRIZZLE_KIT, ['generate', '--config', 'drizzle.config.json'], {
    cwd: dir,
    encoding: 'utf8',
  });
  expect(r.status, r.stderr + r.stdout).toBe(0);
  return sqlFiles().filter((f) => !before.includes(f));
}

describe('committed drizzle-kit migrations', () => {
  it.each([
    ['sqlite', 'schema.ts', 'drizzle'],
    ['postgresql', 'pg-schema.ts', 'drizzle-pg'],
  ] as const)('%s: generating from %s adds nothing to %s', (dialect, schema, folder) => {
    expect(generate(dialect, schema, folder)).toEqual([]);
  });

  it('notices a missing migration: generating into an empty folder writes one', () => {
    expect(generate('postgresql', 'pg-schema.ts', undefined)).toHaveLength(1);
  });
});
