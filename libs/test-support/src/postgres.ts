/**
 * A throwaway PostgreSQL cluster for tests: `initdb` into a fresh temp folder, `pg_ctl start` listening on a unix
 * socket in that folder and on 127.0.0.1 at a free port, `stop()` shuts it down and removes the folder. Uses the
 * machine's PostgreSQL binaries (Debian's `postgresql` package); never a stand-in.
 */
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTestEnv, type Env } from './env';
import { MissingFixtureError } from './needs';

/** Where the PostgreSQL server binaries are, or why they are not usable. */
export interface PostgresTools {
  present: boolean;
  /** Folder holding initdb, pg_ctl, postgres and createdb (when present). */
  bindir: string;
  /** `needs PostgreSQL (...)`: put it in a suite title so that a skip says why. */
  needs: string;
  /** When running as root: the unprivileged user the server runs as (initdb refuses root). */
  runAs?: string;
}

const BINARIES = ['initdb', 'pg_ctl', 'postgres', 'createdb'];
/** The user Debian's postgresql package creates; the cluster runs as it when the tests run as root. */
const SERVER_USER = 'postgres';
const INSTALL = 'apt-get install -y postgresql';

function bindirCandidates(): string[] {
  const out: string[] = [];
  const pgConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  if (pgConfig.status === 0 && pgConfig.stdout.trim()) out.push(pgConfig.stdout.trim());
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    out.push(...versions.map((v) => join(debian, v, 'bin')));
  }
  const which = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim()) out.push(join(which.stdout.trim(), '..'));
  return out;
}

function userExists(name: string): boolean {
  return spawnSync('id', ['-u', name], { stdio: 'ignore' }).status === 0;
}

/**
 * Finds initdb, pg_ctl, postgres and createdb (`pg_config --bindir`, then /usr/lib/postgresql/<newest>/bin, then
 * PATH). Missing → `present: false` with the reason; missing under `KELLY_REQUIRE_FIXTURES=1` → throws, naming it.
 */
export function postgresTools(options: { env?: Env; bindirs?: string[] } = {}): PostgresTools {
  const { requireFixtures } = readTestEnv(options.env);
  const candidates = options.bindirs ?? bindirCandidates();
  const bindir = candidates.find((d) => BINARIES.every((b) => existsSync(join(d, b))));
  const root = process.getuid?.() === 0;
  let missing: string | undefined;
  if (!bindir) {
    const looked = candidates.length
      ? candidates.join(', ')
      : 'pg_config --bindir, /usr/lib/postgresql/*/bin, PATH';
    missing = `PostgreSQL server binaries (${BINARIES.join(', ')}; looked in ${looked}; ${INSTALL})`;
  } else if (root && !userExists(SERVER_USER)) {
    missing = `the '${SERVER_USER}' user to run PostgreSQL as (initdb refuses root; ${INSTALL} creates it)`;
  }
  if (missing && requireFixtures) throw new MissingFixtureError(missing, bindir ?? candidates[0] ?? 'PATH');
  return {
    present: !missing,
    bindir: bindir ?? '',
    needs: `needs ${missing ?? 'PostgreSQL'}`,
    ...(root && { runAs: SERVER_USER }),
  };
}

/** A running throwaway cluster. Superuser `kelly`, trust authentication, reachable only from this machine. */
export interface PostgresCluster {
  /** `postgres://kelly@127.0.0.1:<port>/postgres`. */
  url: string;
  port: number;
  /** The temp folder: data directory (`data/`), server log (`server.log`) and the unix socket. */
  dir: string;
  /** Creates an empty database (a unique name when none is given) and returns its URL. */
  createDatabase(name?: string): string;
  /** `pg_ctl stop -m fast`, then removes the folder. Safe to call twice. */
  stop(): void;
}

/** A free TCP port on 127.0.0.1 (asked from the kernel, then released for the server to take). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

let databaseCounter = 0;

/** A database name unique to this process and call, ending in the (sanitised) hint. */
export function uniqueDatabaseName(hint = 'db'): string {
  const clean = hint
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .slice(0, 30);
  return `k${process.pid}_${++databaseCounter}_${Math.random().toString(36).slice(2, 8)}_${clean}`;
}

/** Creates database `name` on the cluster at `port` with the createdb in `bindir`; returns its URL. */
export function createDatabaseAt(bindir: string, port: number, name: string): string {
  const r = spawnSync(
    join(bindir, 'createdb'),
    ['-h', '127.0.0.1', '-p', String(port), '-U', 'kelly', name],
    {
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new Error(`createdb ${name} on 127.0.0.1:${port} failed: ${r.stderr.trim()}`);
  return `postgres://kelly@127.0.0.1:${port}/${name}`;
}

/**
 * initdb + pg_ctl start in a fresh temp folder. As root, the binaries run as the `postgres` user (`runuser`) and
 * the folder is handed to it. Durability is off (fsync, synchronous_commit, full_page_writes): the cluster lives
 * for one test run. Throws when PostgreSQL is missing (check {@link postgresTools} first to skip instead).
 */
export async function startPostgres(
  options: { env?: Env; tools?: PostgresTools } = {},
): Promise<PostgresCluster> {
  const tools = options.tools ?? postgresTools({ env: options.env ?? { KELLY_REQUIRE_FIXTURES: '1' } });
  if (!tools.present) throw new Error(tools.needs);
  const dir = mkdtempSync(join(tmpdir(), 'kelly-pg-'));
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  const run = (binary: string, args: string[]) => {
    const cmd = join(tools.bindir, binary);
    const r = tools.runAs
      ? spawnSync('runuser', ['-u', tools.runAs, '--', cmd, ...args], { encoding: 'utf8', cwd: dir })
      : spawnSync(cmd, args, { encoding: 'utf8', cwd: dir });
    return {
      ok: r.status === 0,
      output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`,
    };
  };
  const fail = (what: string, output: string): never => {
    const serverLog = existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : '';
    rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `${what} failed (${tools.bindir}): ${output.trim()}${serverLog && `\nserver log:\n${serverLog}`}`,
    );
  };
  if (tools.runAs) {
    const { uid, gid } = idsOf(tools.runAs);
    chownSync(dir, uid, gid);
  }
  const init = run('initdb', [
    '-D',
    data,
    '-A',
    'trust',
    '-U',
    'kelly',
    '-E',
    'UTF8',
    '--locale=C.UTF-8',
    '--no-sync',
    '--no-instructions',
  ]);
  if (!init.ok) fail('initdb', init.output);
  // Another process may take the port between freePort() and the server's bind: try a few ports.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const settings = [
      `-p ${port}`,
      `-k ${dir}`,
      '-c listen_addresses=127.0.0.1',
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      '-c max_connections=200',
    ].join(' ');
    const start = run('pg_ctl', ['-D', data, '-l', log, '-o', settings, '-w', '-t', '60', 'start']);
    if (start.ok) return cluster(tools, dir, data, port, run);
    if (attempt === 3) fail('pg_ctl start', start.output);
  }
}

function idsOf(user: string): { uid: number; gid: number } {
  const uid = Number(spawnSync('id', ['-u', user], { encoding: 'utf8' }).stdout.trim());
  const gid = Number(spawnSync('id', ['-g', user], { encoding: 'utf8' }).stdout.trim());
  return { uid, gid };
}

function cluster(
  tools: PostgresTools,
  dir: string,
  data: string,
  port: number,
  run: (binary: string, args: string[]) => { ok: boolean; output: string },
): PostgresCluster {
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', stop);
    const r = run('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
    rmSync(dir, { recursive: true, force: true });
    if (!r.ok) throw new Error(`pg_ctl stop failed: ${r.output.trim()}`);
  };
  // A test run that ends without its teardown (an uncaught error) still stops the server.
  process.on('exit', stop);
  return {
    url: `postgres://kelly@127.0.0.1:${port}/postgres`,
    port,
    dir,
    createDatabase: (name) => createDatabaseAt(tools.bindir, port, name ?? uniqueDatabaseName()),
    stop,
  };
}
