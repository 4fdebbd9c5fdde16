/**
 * Seeds a fresh KELLY_HOME through the tracking client, the way trainers write it:
 *  - `healthy-a` / `healthy-b` (melodytransformer): FINISHED, same config but optimizer.lr and batch_size
 *  - `zero-loss` (emotionrecognizer): FINISHED with a training loss of exactly 0 → zero_loss
 *  - `nan-run` (melodytransformer): loss NaN at step 57 then +Infinity at 58 → nan_loss
 *  - `failed-run`: FAILED with an error and a stack
 *  - `crashed-run` (groovepredictor): a child process SIGKILLed mid-run → CRASHED after the stale window
 *  - `promotable-run` (groovepredictor): healthy, with an RTNeural export that passes every promotion gate
 *  - one artifact file under <home>/artifacts for `healthy-a`
 * `store` is where the store is (testStoreLocation: <home>/tracking.db, or a PostgreSQL database in dashboard@pg);
 * artifacts and published models stay under `home` either way.
 */
import { openTracker, type Tracker } from '@kelly/tracking';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The vendored RTNeural checkout the promotion gate's native check builds against in tests. */
export const VENDOR_RTNEURAL = resolve(here, '../../../../../shared/vendor/rtneural');

export const SEED = {
  healthyA: 'healthy-a',
  healthyB: 'healthy-b',
  zeroLoss: 'zero-loss',
  nanRun: 'nan-run',
  failed: 'failed-run',
  crashed: 'crashed-run',
  /** FINISHED, healthy, with a valid RTNeural export and parity/real-time figures: passes every gate. */
  promotable: 'promotable-run',
  nanStep: 57,
} as const;

const baseConfig = (lr: number, batch: number) => ({
  model_id: 'melodytransformer',
  model: { hidden_layers: [256, 256], dropout: 0.1, architecture: 'lstm' },
  optimizer: { name: 'adam', lr, weight_decay: 0 },
  batch_size: batch,
  epochs: 20,
  data: { path: 'data/melody', sample_rate: 22050 },
});

async function liveRun(
  tracker: Tracker,
  id: string,
  experiment: string,
  config: Record<string, unknown>,
  loss: (step: number) => number,
  steps = 200,
  artifact?: string,
): Promise<void> {
  const run = await tracker.startRun({ id, experiment, config, tags: ['seed'] });
  const t0 = Date.now();
  for (let step = 0; step < steps; step++) {
    // 10 steps per epoch, 0.5 s per step of simulated wall time (so the time axis is meaningful).
    const at = { step, epoch: Math.floor(step / 10), wallTime: t0 + step * 500 };
    run.logMetrics({ loss: loss(step) }, at);
    if (step % 10 === 9) run.logMetrics({ val_loss: loss(step) * 1.1 }, at);
  }
  if (artifact) await run.logArtifact(artifact, { kind: 'rtneural' });
  await run.end();
}

/** The store of a seeded home: its SQLite file unless `store` says otherwise. */
const storeOf = (home: string, store?: string) => store ?? join(home, 'tracking.db');

/** Kills a child trainer mid-run, then sweeps with a clock past its stale window: its run is CRASHED. */
async function crashedRun(home: string, store: string): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'crash-child.ts'), home, store], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (b: Buffer) => b.toString().includes('ready') && resolve());
    child.on('exit', (code) => reject(new Error(`crash child exited early (${code})`)));
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
  const sweeper = openTracker({ home, path: store, handleSignals: false });
  try {
    // the child's last heartbeat is now at the latest: a sweep one stale window later finds it dead
    const crashed = sweeper.sweepStale(Date.now() + (sweeper.settings.staleAfterS + 1) * 1000);
    if (!crashed.includes(SEED.crashed))
      throw new Error(`crashed-run was not swept (swept: ${crashed.join(', ')})`);
  } finally {
    sweeper.close();
  }
}

export async function seedDashboard(home: string, store?: string): Promise<void> {
  mkdirSync(home, { recursive: true });
  await crashedRun(home, storeOf(home, store));
  const tracker = openTracker({ home, path: storeOf(home, store), handleSignals: false });
  try {
    const model = join(home, 'melodytransformer.json');
    writeFileSync(model, JSON.stringify({ layers: [] }));
    // A file beside the artifact root: the download route must refuse it.
    writeFileSync(join(home, 'secret.txt'), 'outside the artifact root\n');
    await liveRun(
      tracker,
      SEED.healthyA,
      'melodytransformer',
      baseConfig(0.001, 32),
      (s) => 2 * Math.exp(-s / 60) + 0.1,
      200,
      model,
    );
    await liveRun(
      tracker,
      SEED.healthyB,
      'melodytransformer',
      baseConfig(0.0003, 64),
      (s) => 2 * Math.exp(-s / 90) + 0.12,
    );
    await liveRun(
      tracker,
      SEED.zeroLoss,
      'emotionrecognizer',
      { model_id: 'emotionrecognizer', epochs: 20, output_size: 7 },
      () => 0,
      100,
    );
    await liveRun(
      tracker,
      SEED.nanRun,
      'melodytransformer',
      baseConfig(0.1, 32),
      (s) => (s === SEED.nanStep ? NaN : s === SEED.nanStep + 1 ? Infinity : 2 * Math.exp(-s / 50) + 0.2),
      120,
    );
    await promotableRun(tracker, home);
    const failed = await tracker.startRun({
      id: SEED.failed,
      experiment: 'emotionnodeclassifier',
      config: { epochs: 5 },
    });
    failed.logMetrics({ loss: 5.5 }, { step: 0, epoch: 0 });
    await failed.fail(new RangeError('shape mismatch: expected [8,128] got [8,64]'));
  } finally {
    tracker.close();
  }
}

/** A tiny valid RTNeural model (dense 2→3 tanh → dense 3→1), written for these tests. */
const RTNEURAL_MODEL = {
  in_shape: [null, 2],
  layers: [
    {
      type: 'dense',
      activation: 'tanh',
      shape: [null, 3],
      weights: [
        [
          [0.1, -0.2, 0.3],
          [0.4, 0.5, -0.6],
        ],
        [0, 0.1, -0.1],
      ],
    },
    { type: 'dense', activation: '', shape: [null, 1], weights: [[[0.7], [-0.8], [0.9]], [0.05]] },
  ],
};

/** What differs between promotable runs: the model (experiment) and the export's output bias (so its bytes). */
interface Promotable {
  experiment?: string;
  bias?: number;
}

/** Adds another promotable run (default groovepredictor) to a seeded home (and its store). */
export async function addPromotableRun(
  home: string,
  id: string,
  o: Promotable = {},
  store?: string,
): Promise<void> {
  const tracker = openTracker({ home, path: storeOf(home, store), handleSignals: false });
  try {
    await promotableRun(tracker, home, id, o);
  } finally {
    tracker.close();
  }
}

/** A FINISHED run (default groovepredictor) with an RTNeural export that passes every promotion gate. */
async function promotableRun(
  tracker: Tracker,
  home: string,
  id: string = SEED.promotable,
  o: Promotable = {},
): Promise<void> {
  const run = await tracker.startRun({
    id,
    experiment: o.experiment ?? 'groovepredictor',
    config: { epochs: 3, model: { hidden: [3] } },
    tags: ['seed'],
  });
  [0.5, 0.4, 0.3].forEach((v, epoch) =>
    run.logMetrics({ loss: v + 0.05, val_loss: v }, { step: epoch, epoch }),
  );
  run.logMetrics(
    { rtneural_max_abs_err: 2e-6, rtneural_frame_ms: 0.5, rtneural_realtime_ratio: 0.03 },
    { step: 3 },
  );
  const file = join(home, `${id}.json`);
  // another run's export differs in its output bias, so each promotion registers its own version
  const bias = o.bias ?? (id === SEED.promotable ? 0.05 : 0.06);
  const model = {
    ...RTNEURAL_MODEL,
    layers: [
      RTNEURAL_MODEL.layers[0],
      { ...RTNEURAL_MODEL.layers[1], weights: [[[0.7], [-0.8], [0.9]], [bias]] },
    ],
  };
  writeFileSync(file, JSON.stringify(model));
  await run.logArtifact(file, { kind: 'rtneural', name: 'model.json' });
  const heldOut = join(home, `${id}.held-out.json`);
  writeFileSync(heldOut, JSON.stringify(heldOutFor(bias)));
  await run.logArtifact(heldOut, { kind: 'rtneural-held-out', name: 'held-out.json' });
  await run.end();
}

/**
 * Held-out clips for the seed's 2→3 tanh→1 export, with its outputs computed here in float64 from the same
 * weights (standing in for tfjs `predict`, as the trainer records it).
 */
function heldOutFor(bias: number) {
  const [w1, b1] = RTNEURAL_MODEL.layers[0]!.weights as [number[][], number[]];
  const w2 = [0.7, -0.8, 0.9];
  const input = Array.from({ length: 24 }, (_, t) => [Math.sin(t * 0.7), Math.cos(t * 1.3) * 0.8]);
  const expected = input.map(([x0, x1]) => {
    const h = [0, 1, 2].map((j) => Math.tanh(x0! * w1[0]![j]! + x1! * w1[1]![j]! + b1[j]!));
    return [h.reduce((acc, v, j) => acc + v * w2[j]!, bias)];
  });
  return {
    format: 'kelly-rtneural-held-out',
    version: 1,
    source: 'float64 reference',
    inSize: 2,
    outSize: 1,
    clips: [{ input, expected, offset: 0 }],
  };
}

/** The anomalous loss points of a `seedMany` run (bench): step → value, for runs of at least 100 points. */
export function seededAnomalies(points: number): Map<number, number> {
  if (points < 100) return new Map();
  return new Map([
    [Math.floor(points * 0.123), NaN],
    [Math.floor(points * 0.5) + 1, Infinity],
    [Math.floor(points * 0.777), NaN],
  ]);
}

/**
 * Seeds N runs quickly (bench): FINISHED runs with `points` loss points each, the few non-finite ones of
 * {@link seededAnomalies} among them.
 */
export async function seedMany(
  home: string,
  runs: number,
  points: number,
  experiment = 'bench',
  store?: string,
): Promise<string[]> {
  const anomalies = seededAnomalies(points);
  const tracker = openTracker({ home, path: storeOf(home, store), handleSignals: false, batchSize: 50_000 });
  const ids: string[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const id = `${experiment}-${String(i).padStart(5, '0')}`;
      const run = await tracker.startRun({
        id,
        experiment,
        config: { lr: 0.001 * (1 + (i % 7)), batch_size: 16 << (i % 3), seed: i },
      });
      for (let step = 0; step < points; step++)
        run.logMetrics(
          {
            loss: anomalies.get(step) ?? 2 * Math.exp(-step / (points / 4)) + 0.01 * Math.sin(step + i) + 0.1,
          },
          { step, epoch: Math.floor(step / 100) },
        );
      await run.end();
      ids.push(id);
    }
  } finally {
    tracker.close();
  }
  return ids;
}
