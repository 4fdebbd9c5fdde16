/**
 * `npm run bench -- remote`: one JSON document on stdout (progress on stderr).
 * 4 concurrent client processes each log the same points (2 keys × STEPS steps, default batching) either
 * (a) directly into one local SQLite store, (b) to a headless Kelly server process (`serveTrackingApi`) on
 * 127.0.0.1 over its HTTP API with its store in SQLite, (c) to the same server with its store in PostgreSQL (a
 * throwaway cluster started here, as the tests do), and (d) directly into that PostgreSQL database, in the same run.
 * A client's time runs from a common start signal until its `run.end()` returned (remote: every batch acknowledged
 * by the server); throughput = all points / (last end − first start). Also: one local process alone, for
 * reference. Goals, for the server on either store: ≥ 50,000 points/s and ≥ 0.5× local SQLite (4 local processes).
 * Every point is counted in the store after each phase. Without PostgreSQL on the machine, (c) and (d) report
 * why and count as unmet.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { postgresTools, spawnWatched, startPostgres } from '@kelly/test-support';
import { openTracker } from '../src/index';

const CLIENTS = 4;
const STEPS = Number(process.env.KELLY_BENCH_REMOTE_STEPS ?? 125_000);
const log = (s: string) => process.stderr.write(`remote bench: ${s}\n`);
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
const here = import.meta.dirname;

const child = (script: string, args: string[]) =>
  spawnWatched(['--import', 'tsx', join(here, script), ...args], {
    name: script,
    stdin: true,
    inheritStderr: true,
    timeoutMs: 3_600_000,
  });

/** Runs `n` clients against `target`, started together; returns aggregate figures. */
async function phase(mode: 'local' | 'remote', target: string, n: number, dir: string) {
  const kids = Array.from({ length: n }, (_, i) =>
    child('remote-bench-child.ts', [mode, target, String(STEPS), join(dir, `client-${mode}-${n}-${i}`)]),
  );
  await Promise.all(kids.map((k) => k.waitFor(/ready/)));
  for (const k of kids) k.proc.stdin.write('go\n');
  const results = await Promise.all(
    kids.map((k) =>
      k
        .waitFor(/(\{.*\})\n/)
        .then((m) => JSON.parse(m[1]!) as { t0: number; t1: number; points: number; runId: string }),
    ),
  );
  const t0 = Math.min(...results.map((r) => r.t0));
  const t1 = Math.max(...results.map((r) => r.t1));
  const points = results.reduce((a, r) => a + r.points, 0);
  return {
    clients: n,
    points,
    ms: t1 - t0,
    pointsPerS: Math.round((points * 1000) / (t1 - t0)),
    runIds: results.map((r) => r.runId),
  };
}

/** Points stored for `runIds` in the store of `home` (or at `path`: a SQLite file or a postgres:// URL). */
function storedPoints(home: string, runIds: string[], path?: string): number {
  const t = openTracker({ home, ...(path ? { path } : {}), handleSignals: false });
  try {
    const q = t.sql.prepare('SELECT count(*) FROM metrics WHERE run_id = ?').pluck();
    return runIds.reduce((a, id) => a + (q.get(id) as number), 0);
  } finally {
    t.close();
  }
}

/** 4 clients through a server process over `store` (default <serverHome>/tracking.db). */
async function remotePhase(dir: string, serverHome: string, store?: string) {
  const server = child('../test/children/server-child.ts', [
    serverHome,
    '0',
    '60',
    ...(store ? [store] : []),
  ]);
  const url = (await server.waitFor(/listening (\S+)/))[1]!;
  const remote = await phase('remote', url, CLIENTS, dir);
  server.proc.kill('SIGTERM');
  return { ...remote, stored: storedPoints(serverHome, remote.runIds, store) };
}

/** (c) and (d): the server over PostgreSQL, and direct logging into it; null with the reason when it is missing. */
async function postgresPhases(dir: string) {
  const tools = postgresTools({ env: {} });
  if (!tools.present) return { missing: tools.needs } as const;
  const cluster = await startPostgres({ tools });
  try {
    log(`remote on PostgreSQL: ${CLIENTS} processes through one server`);
    const remote = await remotePhase(dir, join(dir, 'server-pg'), cluster.createDatabase('bench_remote'));
    log(`local PostgreSQL: ${CLIENTS} processes into one database`);
    const url = cluster.createDatabase('bench_local');
    const local = await phase('local', url, CLIENTS, dir);
    return { remote, local: { ...local, stored: storedPoints(join(dir, 'pg-reader'), local.runIds, url) } };
  } finally {
    cluster.stop();
  }
}

async function main(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'kelly-bench-remote-'));
  const loadBefore = loadavg()[0]!;
  try {
    log(`local: 1 process, ${2 * STEPS} points`);
    const single = await phase('local', join(dir, 'local-1'), 1, dir);
    log(`local: ${CLIENTS} processes into one store`);
    const local = await phase('local', join(dir, 'local'), CLIENTS, dir);
    const localStored = storedPoints(join(dir, 'local'), local.runIds);
    log(`remote: ${CLIENTS} processes through one server`);
    const remote = await remotePhase(dir, join(dir, 'server'));
    const pg = await postgresPhases(dir);
    const ratio = remote.pointsPerS / local.pointsPerS;
    const pgRatio = 'missing' in pg ? 0 : pg.remote.pointsPerS / local.pointsPerS;
    const figures = (p: { ms: number; pointsPerS: number; stored: number }) => ({
      ms: p.ms,
      pointsPerS: p.pointsPerS,
      stored: p.stored,
    });
    const doc = {
      clients: CLIENTS,
      pointsPerClient: 2 * STEPS,
      localSingleProcess: { ms: single.ms, pointsPerS: single.pointsPerS },
      local: { ms: local.ms, pointsPerS: local.pointsPerS, stored: localStored },
      remote: figures(remote),
      postgres:
        'missing' in pg ? { missing: pg.missing } : { remote: figures(pg.remote), local: figures(pg.local) },
      ratio: {
        remoteVsLocal: round(ratio),
        remoteVsLocalSingleProcess: round(remote.pointsPerS / single.pointsPerS),
        remotePostgresVsLocal: round(pgRatio),
        ...('missing' in pg
          ? {}
          : { remotePostgresVsLocalPostgres: round(pg.remote.pointsPerS / pg.local.pointsPerS) }),
      },
      goals: { remotePointsPerS: 50_000, remoteVsLocal: 0.5 },
      met: {
        remotePointsPerS: remote.pointsPerS >= 50_000,
        remoteVsLocal: ratio >= 0.5,
        remotePostgresPointsPerS: !('missing' in pg) && pg.remote.pointsPerS >= 50_000,
        remotePostgresVsLocal: pgRatio >= 0.5,
        noPointLost:
          localStored === local.points &&
          remote.stored === remote.points &&
          ('missing' in pg || (pg.remote.stored === pg.remote.points && pg.local.stored === pg.local.points)),
      },
      loadAverage1m: { before: round(loadBefore), after: round(loadavg()[0]!) },
    };
    process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
    return Object.values(doc.met).every(Boolean) ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) void main().then((code) => process.exit(code));
