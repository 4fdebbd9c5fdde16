/**
 * Starts the built dashboard (`next start`) on a free 127.0.0.1 port over a given KELLY_HOME, building it
 * first if the build is missing or stale. Used by the browser tests and the bench.
 */
import { isPostgresUrl } from '@kelly/tracking';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { appDir, buildDashboard, needsBuild } from '../../src/serve';

export interface DashboardServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function waitReady(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`);
    try {
      const r = await fetch(`${url}/api/health`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`dashboard did not answer on ${url} within ${timeoutMs} ms`);
}

const BUILD_LOCK = join(appDir, '.next-build.lock');

/**
 * Runs `fn` holding a lock folder beside the build: the dashboard and dashboard@pg projects run their files in
 * parallel, and two `next build`s into one .next folder break each other. A lock left by a dead process (older
 * than 10 minutes) is taken over.
 */
async function withBuildLock(fn: () => void): Promise<void> {
  for (;;) {
    try {
      mkdirSync(BUILD_LOCK);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const age = Date.now() - (statSync(BUILD_LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 600_000) rmSync(BUILD_LOCK, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    fn();
  } finally {
    rmSync(BUILD_LOCK, { recursive: true, force: true });
  }
}

/**
 * The server environment for a store location: a PostgreSQL URL goes in KELLY_DATABASE_URL; a SQLite file must be
 * `<KELLY_HOME>/tracking.db` (the server's default) and needs nothing.
 */
export function storeEnv(store: string): Record<string, string> {
  return isPostgresUrl(store) ? { KELLY_DATABASE_URL: store } : {};
}

export async function startDashboard(
  home: string,
  env: Record<string, string> = {},
): Promise<DashboardServer> {
  await withBuildLock(() => {
    if (needsBuild()) {
      process.stderr.write('dashboard: next build (once, ~30 s)…\n');
      buildDashboard('quiet');
    }
  });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next');
  const child = spawn(process.execPath, [nextBin, 'start', appDir, '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      KELLY_HOME: home,
      KELLY_DASHBOARD_HOST: '127.0.0.1',
      NEXT_TELEMETRY_DISABLED: '1',
      ...env,
    },
  });
  try {
    await waitReady(url, child, 30_000);
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
  return {
    url,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
