/**
 * `npm run bench -- tracking`: one JSON document on stdout (progress on stderr).
 * (a) 1,000,000 metric points through the client (logMetrics one point per call, batched flushes with rollups,
 *     final flush) vs raw better-sqlite3 prepared inserts in one transaction into the same table. Goal client
 *     ≥ 0.5× raw. run.end() (status + health rules over the 1M points) is timed and reported apart.
 * (b) compareRuns of 10 runs × 100,000 points downsampled to ≤ 1,000 per series vs fetching every raw point.
 *     Goal ≥ 20× faster, and every non-finite / zero / anomaly-flagged point kept.
 * (c) first page (50) of listRuns at 10,000 runs vs 100 runs. Goal ≤ 2×.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareRuns, decodeValue, importRun, listRuns, openTracker, type Tracker } from '../src/index';

const log = (s: string) => process.stderr.write(`tracking bench: ${s}\n`);
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

function benchLogging(dir: string, n: number) {
  // client
  const client = openTracker({ path: join(dir, 'client.db'), handleSignals: false });
  const runPromise = client.startRun({ experiment: 'bench', config: { points: n } });
  return runPromise.then(async (run) => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) run.logMetrics({ loss: 1 / (i + 1) }, { step: i, epoch: i >> 10 });
    run.flush();
    const clientMs = ms(t0);
    const t2 = process.hrtime.bigint();
    await run.end(); // status + health rules over the full 1M-point loss series
    const endMs = ms(t2);
    const stored = client.sql.prepare('SELECT count(*) FROM metrics').pluck().get() as number;
    client.close();
    // raw: same schema, same table, one transaction of prepared inserts
    const rawT = openTracker({ path: join(dir, 'raw.db'), handleSignals: false });
    const id = 'raw-run';
    rawT.sql.prepare(`INSERT INTO experiments (name, created_at) VALUES ('bench', 0)`).run();
    rawT.sql
      .prepare(
        `INSERT INTO runs (id, experiment, status, source, started_at) VALUES (?, 'bench', 'RUNNING', 'live', ?)`,
      )
      .run(id, Date.now());
    const insert = rawT.sql.prepare(
      `INSERT INTO metrics (run_id, key, step, epoch, wall_time, value, flag) VALUES (?, ?, ?, ?, ?, ?, 0)`,
    );
    const t1 = process.hrtime.bigint();
    rawT.sql.transaction(() => {
      for (let i = 0; i < n; i++) insert.run(id, 'loss', i, i >> 10, Date.now(), 1 / (i + 1));
    })();
    const rawMs = ms(t1);
    rawT.close();
    return { clientMs, endMs, rawMs, stored };
  });
}

function seedCompare(t: Tracker, runs: number, n: number) {
  const special = new Map<string, Set<number>>();
  for (let r = 0; r < runs; r++) {
    const id = `cmp-${r}`;
    const nan = new Set([1000 + r * 37, 50_000 + r * 101, 99_000 - r]);
    const zero = new Set([70_000 + r * 11]);
    special.set(id, new Set([...nan, ...zero, 0, n - 1]));
    importRun(t, {
      id,
      experiment: 'bench',
      status: 'FINISHED',
      startedAt: 1_700_000_000_000 + r * 1000,
      durationS: 3600,
      config: { lr: 0.001 * (r + 1), hidden: 64 },
      metrics: Array.from({ length: n }, (_, i) => ({
        key: 'loss',
        step: i,
        epoch: Math.floor(i / 1000),
        wallTime: 1_700_000_000_000 + i * 10,
        value: nan.has(i) ? Number.NaN : zero.has(i) ? 0 : 1 + Math.sin(i / 500) * Math.exp(-i / 50_000),
      })),
    });
  }
  return special;
}

function benchCompare(t: Tracker, special: Map<string, Set<number>>, maxPoints: number) {
  const ids = [...special.keys()];
  const raw = t.sql
    .prepare(
      `SELECT step, epoch, wall_time, value, flag FROM metrics WHERE run_id = ? AND key = 'loss' ORDER BY step`,
    )
    .raw();
  const rawTimes: number[] = [];
  const dsTimes: number[] = [];
  let rawPoints = 0;
  let result = compareRuns(t, { ids, keys: ['loss'], maxPoints });
  // all raw repetitions first, then all downsampled ones, so the garbage of 1M raw points is not collected
  // inside the downsampled timings
  for (let rep = 0; rep < 5; rep++) {
    const t0 = process.hrtime.bigint();
    rawPoints = 0;
    for (const id of ids) {
      const pts = (raw.all(id) as [number, number | null, number, number | null, number][]).map((r) => ({
        step: r[0],
        epoch: r[1],
        wallTime: r[2],
        value: decodeValue(r[3], r[4]),
      }));
      rawPoints += pts.length;
    }
    rawTimes.push(ms(t0));
  }
  for (let rep = 0; rep < 9; rep++) {
    const t1 = process.hrtime.bigint();
    result = compareRuns(t, { ids, keys: ['loss'], maxPoints });
    dsTimes.push(ms(t1));
  }
  // every anomalous point (NaN, zero, first, last, anomaly first_step) is in the downsampled series
  let missing = 0;
  let maxPerSeries = 0;
  const flagged = t.sql
    .prepare(`SELECT run_id, first_step FROM anomalies WHERE first_step IS NOT NULL`)
    .all() as { run_id: string; first_step: number }[];
  for (const s of result.series) {
    maxPerSeries = Math.max(maxPerSeries, s.points.length);
    const steps = new Set(s.points.map((p) => p.step));
    for (const st of special.get(s.runId)!) if (!steps.has(st)) missing++;
    for (const f of flagged) if (f.run_id === s.runId && !steps.has(f.first_step)) missing++;
  }
  return {
    rawMs: median(rawTimes),
    downsampledMs: median(dsTimes),
    rawPoints,
    maxPerSeries,
    missingAnomalousPoints: missing,
  };
}

function seedRuns(t: Tracker, count: number) {
  const insert = () => {
    for (let i = 0; i < count; i++)
      importRun(t, {
        id: `run-${String(i).padStart(6, '0')}`,
        experiment: ['melodytransformer', 'groovepredictor', 'emotionrecognizer', 'emotionnodeclassifier'][
          i % 4
        ]!,
        status: i % 7 === 0 ? 'FAILED' : 'FINISHED',
        source: i % 2 ? 'legacy' : 'live',
        startedAt: 1_700_000_000_000 + i * 60_000,
        durationS: i % 5 === 0 ? 3 : 300,
        tags: i % 3 ? [] : ['baseline'],
        config: { lr: 0.001, epochs: 20, batch: 32 },
        metrics: Array.from({ length: 10 }, (_, s) => ({
          key: 'loss',
          step: s,
          epoch: s,
          value: i % 11 === 0 && s === 4 ? Number.NaN : 1 / (s + 1),
        })),
      });
  };
  insert();
}

function benchFirstPage(t: Tracker) {
  const times: number[] = [];
  for (let rep = 0; rep < 30; rep++) {
    const t0 = process.hrtime.bigint();
    const page = listRuns(t, { limit: 50 });
    times.push(ms(t0));
    if (page.items.length !== 50) throw new Error('first page is not full');
  }
  return median(times);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kelly-bench-tracking-'));
  try {
    const N = 1_000_000;
    log(`(a) logging ${N} points: client vs raw`);
    const a = await benchLogging(dir, N);
    log(`(a) client ${a.clientMs.toFixed(0)} ms, raw ${a.rawMs.toFixed(0)} ms`);

    log('(b) seeding 10 runs × 100,000 points');
    const tb = openTracker({ path: join(dir, 'compare.db'), handleSignals: false });
    const special = seedCompare(tb, 10, 100_000);
    const b = benchCompare(tb, special, 1000);
    tb.close();
    log(
      `(b) raw ${b.rawMs.toFixed(1)} ms, downsampled ${b.downsampledMs.toFixed(1)} ms, missing ${b.missingAnomalousPoints}`,
    );

    log('(c) seeding 100 and 10,000 runs');
    const small = openTracker({ path: join(dir, 'runs100.db'), handleSignals: false });
    seedRuns(small, 100);
    const large = openTracker({ path: join(dir, 'runs10k.db'), handleSignals: false });
    seedRuns(large, 10_000);
    benchFirstPage(small);
    benchFirstPage(large); // warm both
    const c100 = benchFirstPage(small);
    const c10k = benchFirstPage(large);
    small.close();
    large.close();
    log(`(c) first page: 100 runs ${c100.toFixed(2)} ms, 10,000 runs ${c10k.toFixed(2)} ms`);

    const ratios = {
      logClientVsRaw: round(a.rawMs / a.clientMs, 3),
      compareSpeedup: round(b.rawMs / b.downsampledMs, 1),
      firstPage10kVs100: round(c10k / c100, 3),
    };
    const doc = {
      figures: {
        log: {
          points: N,
          storedByClient: a.stored,
          clientMs: round(a.clientMs),
          endWithHealthRulesMs: round(a.endMs),
          rawMs: round(a.rawMs),
          clientPointsPerS: Math.round(N / (a.clientMs / 1000)),
          rawPointsPerS: Math.round(N / (a.rawMs / 1000)),
        },
        compare: {
          runs: 10,
          pointsPerRun: 100_000,
          maxPoints: 1000,
          rawMs: round(b.rawMs),
          downsampledMs: round(b.downsampledMs),
          rawPointsFetched: b.rawPoints,
          maxPointsPerSeries: b.maxPerSeries,
          missingAnomalousPoints: b.missingAnomalousPoints,
        },
        firstPage: { limit: 50, runs100Ms: round(c100, 3), runs10kMs: round(c10k, 3) },
      },
      ratios,
      goals: {
        logClientVsRaw: '>= 0.5',
        compareSpeedup: '>= 20 with every anomalous point kept',
        firstPage10kVs100: '<= 2',
      },
      met: {
        logClientVsRaw: ratios.logClientVsRaw >= 0.5 && a.stored === N,
        compareSpeedup:
          ratios.compareSpeedup >= 20 && b.missingAnomalousPoints === 0 && b.maxPerSeries <= 1000,
        firstPage10kVs100: ratios.firstPage10kVs100 <= 2,
      },
    };
    process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) void main();
