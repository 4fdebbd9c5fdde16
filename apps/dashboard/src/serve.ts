/**
 * `nx run dashboard:start|dev` (and the browser tests): builds the app if its build is missing or older
 * than any source it depends on, then runs `next start` (or `next dev`) on 127.0.0.1:3000 by default.
 *   tsx apps/dashboard/src/serve.ts [--dev] [--host H] [--port P] [--allowed-host NAME]...
 * Flags win over KELLY_DASHBOARD_HOST / KELLY_DASHBOARD_PORT / KELLY_DASHBOARD_ALLOWED_HOSTS. The server
 * process gets the bound host and the allowed hosts in its environment (the proxy's Host allow-list). KELLY_HOME is resolved against the working
 * directory (the repo root under nx) and handed to Next as an absolute path.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { assertListenAllowed, isLoopbackHost, openTracker } from '@kelly/tracking';
import { readEnv } from './env';
import { HOSTNAME_PATTERN } from './security/hosts';

export const appDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = resolve(appDir, '../..');
const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next');

/** Newest mtime (ms) of the files under `path` (skipping node_modules, .next). */
function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const e of readdirSync(path)) {
    if (e === 'node_modules' || e === '.next') continue;
    newest = Math.max(newest, newestMtime(join(path, e)));
  }
  return newest;
}

/** True when `.next/BUILD_ID` is missing or older than the dashboard's or @kelly/tracking's sources. */
export function needsBuild(): boolean {
  const buildId = join(appDir, '.next', 'BUILD_ID');
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  const inputs = [
    join(appDir, 'src'),
    join(appDir, 'next.config.ts'),
    join(repoRoot, 'libs/tracking/src'),
    join(repoRoot, 'libs/tracking/drizzle'),
    join(repoRoot, 'libs/legacy/src'),
    join(repoRoot, 'libs/registry/src'),
    join(repoRoot, 'package-lock.json'),
  ];
  return inputs.some((p) => newestMtime(p) > built);
}

/**
 * Runs `next build` for the dashboard (output in apps/dashboard/.next); throws if it fails.
 * `quiet`: the build's output is kept and shown only when it fails (tests, bench).
 */
export function buildDashboard(mode: 'inherit' | 'quiet' = 'inherit'): void {
  const r = spawnSync(process.execPath, [nextBin, 'build', appDir], {
    stdio: mode === 'inherit' ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) {
    if (mode === 'quiet') process.stderr.write(`${r.stdout?.toString() ?? ''}${r.stderr?.toString() ?? ''}`);
    throw new Error(`dashboard: next build failed (exit ${r.status ?? r.signal})`);
  }
}

const flagsSchema = z.object({
  host: z.string().min(1).optional(),
  port: z.coerce.number().int().min(0).max(65535).optional(),
  dev: z.boolean().optional(),
  'allowed-host': z
    .array(
      z.string().trim().toLowerCase().regex(HOSTNAME_PATTERN, 'not a hostname (no scheme, port or path)'),
    )
    .optional(),
});

export function main(argv: string[]): void {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      dev: { type: 'boolean' },
      'allowed-host': { type: 'string', multiple: true },
    },
    strict: true,
  });
  const flags = flagsSchema.safeParse(values);
  if (!flags.success) {
    const issue = flags.error.issues[0];
    console.error(`dashboard: --${String(issue?.path[0])}: ${issue?.message}`);
    process.exit(2);
  }
  const env = readEnv();
  const host = flags.data.host ?? env.KELLY_DASHBOARD_HOST;
  const port = flags.data.port ?? env.KELLY_DASHBOARD_PORT;
  const home = resolve(env.KELLY_HOME ?? '.kelly');
  const allowedHosts = flags.data['allowed-host'] ?? env.KELLY_DASHBOARD_ALLOWED_HOSTS;
  // The tracking API (/api/tracking/) takes writes: beyond loopback it needs a token first, and requires one always.
  const loopback = isLoopbackHost(host);
  if (!loopback) {
    const tracker = openTracker({ home, envDatabaseUrl: env.KELLY_DATABASE_URL, handleSignals: false });
    try {
      assertListenAllowed(tracker, host);
    } finally {
      tracker.close();
    }
  }
  if (!flags.data.dev && needsBuild()) {
    console.error('dashboard: building (next build)…');
    buildDashboard();
  }
  const extra = allowedHosts.length ? ` (also accepts Host ${allowedHosts.join(', ')})` : '';
  console.error(`dashboard: KELLY_HOME=${home}, http://${host}:${port}${extra}`);
  const child = spawn(
    process.execPath,
    [nextBin, flags.data.dev ? 'dev' : 'start', appDir, '-H', host, '-p', String(port)],
    {
      stdio: 'inherit',
      env: {
        ...process.env,
        KELLY_HOME: home,
        KELLY_DASHBOARD_HOST: host,
        KELLY_DASHBOARD_ALLOWED_HOSTS: allowedHosts.join(','),
        NEXT_TELEMETRY_DISABLED: '1',
        ...(loopback ? {} : { KELLY_TRACKING_REQUIRE_TOKEN: '1' }),
      },
    },
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    main(process.argv.slice(2));
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
}
