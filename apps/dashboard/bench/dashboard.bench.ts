/**
 * `npm run bench -- dashboard`: the dashboard measured in Chromium on the production build.
 *  (a) runs page with 10,000 runs vs 100 runs: time from navigation to the table drawn (median of 5, the two
 *      cases alternated after a warm-up of each) — goal ≤ 2×;
 *  (b) compare of 5 runs × 100,000 points: time to every chart drawn, and points per series in the browser —
 *      goal ≤ 1,000 points per series (and, for reference, the same compare at 5 × 1,000 points); every
 *      non-finite point of those runs (seededAnomalies) must be in the series the compare page receives
 *      (compareRuns with the page's maxPoints, on the same store).
 * Both on a SQLite store (the top-level figures) and on PostgreSQL (`postgres`: a throwaway cluster started with
 * @kelly/test-support, the server given KELLY_DATABASE_URL), in the same run.
 * Prints one JSON document on stdout; progress on stderr.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postgresTools, startPostgres, type PostgresCluster } from '@kelly/test-support';
import { compareRuns, openTracker } from '@kelly/tracking';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../test/support/browser';
import { startDashboard, storeEnv } from '../test/support/dashboard-server';
import { seededAnomalies, seedMany } from '../test/support/seed';

const REPS = 5;
const log = (msg: string) => process.stderr.write(`dashboard bench: ${msg}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number) => Math.round(x * 10) / 10;

/** ms from navigation start until the runs table shows its first row. */
async function runsPageMs(page: Page, url: string): Promise<number> {
  await page.goto(`${url}/`, { waitUntil: 'commit' });
  const t = await page.waitForFunction(
    () =>
      document.querySelector('[data-testid=runs-table][data-loaded=true] tbody tr[data-run-id]') &&
      performance.now(),
    undefined,
    { polling: 'raf', timeout: 60_000 },
  );
  return round((await t.jsonValue()) as number);
}

/** ms from navigation start until every compare chart has drawn, and the largest series it drew. */
async function comparePageMs(
  page: Page,
  url: string,
  ids: string[],
): Promise<{ ms: number; maxSeriesPoints: number; charts: number }> {
  await page.goto(`${url}/compare?runs=${ids.join(',')}`, { waitUntil: 'commit' });
  const t = await page.waitForFunction(
    () => {
      const charts = [...document.querySelectorAll<HTMLElement>('[data-testid=chart]')];
      const drawn =
        charts.length > 0 && charts.every((c) => c.querySelector('canvas') && Number(c.dataset.points) > 0);
      return drawn && performance.now();
    },
    undefined,
    { polling: 'raf', timeout: 60_000 },
  );
  const ms = round((await t.jsonValue()) as number);
  const sizes = await page.$$eval('[data-testid=chart]', (cs) =>
    cs.map((c) => Number((c as HTMLElement).dataset.maxSeriesPoints)),
  );
  return { ms, maxSeriesPoints: Math.max(...sizes), charts: sizes.length };
}

/**
 * Warms both cases up (first DB open, first route load), then alternates them REPS times so drift on a
 * shared machine (JIT warm-up, other load) falls on both alike.
 */
async function measurePair<A, B>(
  label: string,
  a: () => Promise<A>,
  b: () => Promise<B>,
): Promise<[A[], B[]]> {
  await a();
  await b();
  const as: A[] = [];
  const bs: B[] = [];
  for (let i = 0; i < REPS; i++) {
    as.push(await a());
    bs.push(await b());
  }
  log(`${label} done`);
  return [as, bs];
}

/** Anomalous points of the compared runs missing from what the compare page receives (0 when all are kept). */
function anomaliesDropped(home: string, store: string, ids: string[], points: number): number {
  const tracker = openTracker({ home, path: store, handleSignals: false });
  try {
    const { series } = compareRuns(tracker, { ids, maxPoints: 1000 });
    let dropped = 0;
    for (const id of ids) {
      const loss = series.find((x) => x.runId === id && x.key === 'loss');
      for (const [step, value] of seededAnomalies(points)) {
        const p = loss?.points.find((q) => q.step === step);
        if (!p || !Object.is(p.value, value)) dropped++;
      }
    }
    return dropped;
  } finally {
    tracker.close();
  }
}

/** Seeds three stores, serves each with the production build, measures both pages. */
async function measure(browser: Browser, root: string, cluster: PostgresCluster | null) {
  const label = cluster ? 'PostgreSQL' : 'SQLite';
  const homes = {
    small: join(root, 'runs-100'),
    large: join(root, 'runs-10000'),
    compare: join(root, 'compare'),
  };
  const stores = {
    small: cluster?.createDatabase('bench_runs_100') ?? join(homes.small, 'tracking.db'),
    large: cluster?.createDatabase('bench_runs_10000') ?? join(homes.large, 'tracking.db'),
    compare: cluster?.createDatabase('bench_compare') ?? join(homes.compare, 'tracking.db'),
  };
  log(`${label}: seeding 100 and 10,000 runs, and 5 runs × 100,000 points…`);
  const t0 = Date.now();
  await seedMany(homes.small, 100, 20, 'bench', stores.small);
  await seedMany(homes.large, 10_000, 20, 'bench', stores.large);
  const big = await seedMany(homes.compare, 5, 100_000, 'big', stores.compare);
  const short = await seedMany(homes.compare, 5, 1_000, 'short', stores.compare);
  const seedS = Math.round((Date.now() - t0) / 100) / 10;
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const servers = {
    small: await startDashboard(homes.small, storeEnv(stores.small)),
    large: await startDashboard(homes.large, storeEnv(stores.large)),
    compare: await startDashboard(homes.compare, storeEnv(stores.compare)),
  };
  try {
    const [small, large] = await measurePair(
      `${label}: runs page, 100 vs 10,000 runs`,
      () => runsPageMs(page, servers.small.url),
      () => runsPageMs(page, servers.large.url),
    );
    const [cmpBig, cmpShort] = await measurePair(
      `${label}: compare 5 × 100,000 vs 5 × 1,000 points`,
      () => comparePageMs(page, servers.compare.url, big),
      () => comparePageMs(page, servers.compare.url, short),
    );
    const figures = {
      runsPage100Ms: median(small),
      runsPage10000Ms: median(large),
      runsPage100AllMs: small,
      runsPage10000AllMs: large,
      compare5x100kMs: median(cmpBig.map((c) => c.ms)),
      compare5x1kMs: median(cmpShort.map((c) => c.ms)),
      compare5x100kCharts: cmpBig[0]!.charts,
      compare5x100kMaxPointsPerSeries: Math.max(...cmpBig.map((c) => c.maxSeriesPoints)),
      compare5x100kStoredPointsPerSeries: 100_000,
      compare5x100kAnomalousPoints: big.length * seededAnomalies(100_000).size,
      compare5x100kAnomalousPointsDropped: anomaliesDropped(homes.compare, stores.compare, big, 100_000),
      seedS,
      reps: REPS,
    };
    const ratios = {
      runsPage10000vs100: Math.round((figures.runsPage10000Ms / figures.runsPage100Ms) * 1000) / 1000,
      compare100kVs1k: Math.round((figures.compare5x100kMs / figures.compare5x1kMs) * 1000) / 1000,
    };
    const met = {
      runsPage10000vs100: ratios.runsPage10000vs100 <= 2,
      compare5x100kMaxPointsPerSeries: figures.compare5x100kMaxPointsPerSeries <= 1000,
      compare5x100kAnomalousPointsKept: figures.compare5x100kAnomalousPointsDropped === 0,
    };
    return { figures, ratios, met };
  } finally {
    await page.close();
    await Promise.all(Object.values(servers).map((s) => s.stop()));
  }
}

export async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'kelly-dash-bench-'));
  const browser = await launchChromium();
  const tools = postgresTools({ env: {} });
  let cluster: PostgresCluster | null = null;
  try {
    const sqlite = await measure(browser, join(root, 'sqlite'), null);
    let postgres: Awaited<ReturnType<typeof measure>> | { missing: string };
    if (tools.present) {
      cluster = await startPostgres({ tools });
      postgres = await measure(browser, join(root, 'postgres'), cluster);
    } else postgres = { missing: tools.needs };
    const goals = {
      runsPage10000vs100: '<= 2',
      compare5x100kMaxPointsPerSeries: '<= 1000',
      compare5x100kAnomalousPointsKept: 'all',
    };
    process.stdout.write(JSON.stringify({ ...sqlite, goals, postgres }, null, 2) + '\n');
    const met = [sqlite.met, 'met' in postgres ? postgres.met : { postgres: false }];
    if (!met.every((m) => Object.values(m).every(Boolean))) process.exitCode = 1;
  } finally {
    cluster?.stop();
    await browser.close();
    rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e: unknown) => {
    process.stderr.write(
      `dashboard bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    process.exit(1);
  });
}
