import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { postgresTools, startPostgres } from './postgres';
import { MissingFixtureError } from './needs';

const tools = postgresTools();

/** Runs one SQL statement with the cluster's psql and returns its unaligned output. */
function psql(url: string, sql: string): { ok: boolean; out: string } {
  const r = spawnSync(`${tools.bindir}/psql`, [url, '-XAtq', '-v', 'ON_ERROR_STOP=1', '-c', sql], {
    encoding: 'utf8',
  });
  return { ok: r.status === 0, out: (r.stdout + r.stderr).trim() };
}

async function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

describe('postgresTools', () => {
  it('reports missing binaries with the reason, and throws naming them under KELLY_REQUIRE_FIXTURES=1', () => {
    const missing = postgresTools({ env: {}, bindirs: ['/nonexistent/pg/bin'] });
    expect(missing.present).toBe(false);
    expect(missing.needs).toMatch(
      /needs PostgreSQL server binaries \(initdb, pg_ctl.*\/nonexistent\/pg\/bin.*apt-get install -y postgresql/,
    );
    const call = () =>
      postgresTools({ env: { KELLY_REQUIRE_FIXTURES: '1' }, bindirs: ['/nonexistent/pg/bin'] });
    expect(call).toThrow(MissingFixtureError);
    expect(call).toThrow(/KELLY_REQUIRE_FIXTURES=1 and PostgreSQL server binaries .* is missing/);
  });
});

describe.skipIf(!tools.present)(`startPostgres (${tools.needs})`, () => {
  it('starts a cluster, keeps two databases apart, and stop() removes its folder and frees its port', async () => {
    const cluster = await startPostgres({ tools });
    try {
      expect(cluster.url).toBe(`postgres://kelly@127.0.0.1:${cluster.port}/postgres`);
      expect(existsSync(`${cluster.dir}/data/PG_VERSION`)).toBe(true);
      expect(psql(cluster.url, 'SELECT current_user').out).toBe('kelly');
      // The unix socket sits in the cluster's folder too.
      expect(existsSync(`${cluster.dir}/.s.PGSQL.${cluster.port}`)).toBe(true);

      const a = cluster.createDatabase('iso_a');
      const b = cluster.createDatabase();
      expect(a).toMatch(/\/iso_a$/);
      expect(b).not.toBe(a);
      expect(psql(a, 'CREATE TABLE t (x int); INSERT INTO t VALUES (42)').ok).toBe(true);
      expect(psql(a, 'SELECT x FROM t').out).toBe('42');
      const other = psql(b, 'SELECT x FROM t');
      expect(other.ok).toBe(false);
      expect(other.out).toMatch(/relation "t" does not exist/);
      expect(() => cluster.createDatabase('iso_a')).toThrow(/createdb iso_a .*already exists/);
    } finally {
      cluster.stop();
    }
    expect(existsSync(cluster.dir)).toBe(false);
    expect(await canListen(cluster.port)).toBe(true);
    expect(psql(cluster.url, 'SELECT 1').ok).toBe(false);
    cluster.stop(); // a second stop is a no-op
  });

  it('runs two clusters side by side on different ports', async () => {
    const [one, two] = await Promise.all([startPostgres({ tools }), startPostgres({ tools })]);
    try {
      expect(one.port).not.toBe(two.port);
      expect(psql(one.url, 'SHOW port').out).toBe(String(one.port));
      expect(psql(two.url, 'SHOW port').out).toBe(String(two.port));
    } finally {
      one.stop();
      two.stop();
    }
  });
});
