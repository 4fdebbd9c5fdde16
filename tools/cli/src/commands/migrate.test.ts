import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../main';
import { maskPassword } from './migrate';

const dir = mkdtempSync(join(tmpdir(), 'kelly-cli-migrate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function kelly(args: string[], env: Record<string, string> = {}) {
  let out = '';
  let err = '';
  const code = await main(
    ['node', 'kelly', '--home', dir, ...args],
    { out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n') },
    env,
  );
  return { code, out, err };
}

/** Flag errors of `kelly migrate` (the copy itself is tested against a real server in migrate.pg.test.ts). */
describe('kelly migrate: flags', () => {
  it('needs --to, a postgres:// URL, naming the flag (exit 2)', async () => {
    const none = await kelly(['migrate']);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/required option '--to <url>'/);
    const mysql = await kelly(['migrate', '--to', 'mysql://root@db/kelly']);
    expect(mysql).toMatchObject({ code: 2, out: '' });
    expect(mysql.err).toContain('kelly: --to: must be a postgres://user[:password]@host[:port]/database URL');
  });

  it('refuses a --from store that does not exist instead of creating an empty one', async () => {
    const from = join(dir, 'nothing-here.db');
    const r = await kelly(['migrate', '--to', 'postgres://kelly@127.0.0.1:1/x', '--from', from]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`kelly: --from: no SQLite store at ${from}`);
    expect((await kelly(['migrate', '--to', 'postgres://kelly@127.0.0.1:1/x'])).err).toContain(
      `--from: no SQLite store at ${join(dir, 'tracking.db')}`,
    );
  });

  it('checks --batch and refuses --tracking-uri', async () => {
    for (const [value, message] of [
      ['0', 'must be at least 1'],
      ['2.5', 'must be a whole number of rows'],
      ['many', 'must be a number of rows'],
    ]) {
      const r = await kelly(['migrate', '--to', 'postgres://kelly@127.0.0.1:1/x', '--batch', value!]);
      expect(r.code, value).toBe(2);
      expect(r.err, value).toContain(`kelly: --batch: ${message}`);
    }
    const remote = await kelly(['migrate', '--to', 'postgres://kelly@127.0.0.1:1/x'], {
      KELLY_TRACKING_URI: 'http://127.0.0.1:4318',
    });
    expect(remote.code).toBe(2);
    expect(remote.err).toContain('kelly migrate copies the local store');
  });

  it('never prints a password from --to', () => {
    expect(maskPassword('postgres://kelly:s3cr3t@db:5432/kelly')).toBe('postgres://kelly:***@db:5432/kelly');
    expect(maskPassword('postgresql://kelly@db/kelly')).toBe('postgresql://kelly@db/kelly');
  });
});
