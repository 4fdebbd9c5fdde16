/**
 * One configuration of the lstm bench, run in its own process so its peak RSS is its own.
 * `tsx lstm-bench-child.ts <config-json>` → one JSON line on stdout (progress on stderr).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { createParallelTrainer } from '../src/parallel/parallel-trainer';
import { melodyBenchModel } from './melody-bench-model';

export const ChildConfig = z.discriminatedUnion('task', [
  z.object({
    task: z.literal('matmul'),
    size: z.number().int().positive(),
    reps: z.number().int().positive(),
  }),
  /** aᵀ·b for a [rows, k], b [rows, n] (a weight gradient): transposeA flag vs explicit transpose first. */
  z.object({
    task: z.literal('matmul-ta'),
    mode: z.enum(['flag', 'explicit']),
    rows: z.number().int().positive(),
    k: z.number().int().positive(),
    n: z.number().int().positive(),
    reps: z.number().int().positive(),
  }),
  z.object({
    task: z.literal('train'),
    kind: z.enum(['stock', 'fused', 'fused-stock-dense']),
    frames: z.number().int().positive(),
    batch: z.number().int().positive(),
    /** 0: model.trainOnBatch; ≥ 1: createParallelTrainer with that many workers. */
    workers: z.number().int().min(0),
    /** Measured steps at most, and stop early past this many seconds (after at least 2 steps). */
    steps: z.number().int().positive(),
    budgetSeconds: z.number().positive(),
  }),
  /**
   * 1 vs 2 workers on the same model, alternating steps (w1, w2, w1, w2, …) so that both see the same
   * load from other processes: the speed-up stays measurable on a shared machine.
   */
  z.object({
    task: z.literal('scaling'),
    frames: z.number().int().positive(),
    batch: z.number().int().positive(),
    rounds: z.number().int().positive(),
  }),
]);
export type ChildConfig = z.infer<typeof ChildConfig>;

export interface ScalingResult {
  /** Wall seconds of each round's step, 1 worker (in-process) and 2 worker threads. */
  w1Seconds: number[];
  w2Seconds: number[];
  /** Process CPU seconds of each round's step (all threads). */
  w1CpuSeconds: number[];
  w2CpuSeconds: number[];
  /** Main-thread CPU seconds per 2-worker step spent while no worker computed (Amdahl's serial part). */
  w2SerialCpuSeconds: number[];
  peakRssMb: number;
}

export interface ChildResult {
  /** Wall seconds per measured unit (matMul or training step): mean and best. */
  meanSeconds: number;
  bestSeconds: number;
  /** CPU seconds (user + system, all threads of the process) per unit. */
  cpuSeconds: number;
  units: number;
  peakRssMb: number;
}

function cpuNow(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

async function measure(
  units: number,
  budget: number,
  step: () => Promise<void>,
): Promise<Omit<ChildResult, 'peakRssMb'>> {
  await step(); // warm-up: kernels compiled, buffers sized
  const times: number[] = [];
  const c0 = cpuNow();
  const t0 = performance.now();
  while (times.length < units && (times.length < 2 || (performance.now() - t0) / 1000 < budget)) {
    const s = performance.now();
    await step();
    times.push((performance.now() - s) / 1000);
    process.stderr.write('.');
  }
  const cpu = cpuNow() - c0;
  return {
    meanSeconds: times.reduce((a, b) => a + b, 0) / times.length,
    bestSeconds: Math.min(...times),
    cpuSeconds: cpu / times.length,
    units: times.length,
  };
}

async function scaling(frames: number, batch: number, rounds: number): Promise<ScalingResult> {
  const args = { kind: 'fused' as const, frames, seed: 1 };
  const modelSpec = {
    module: fileURLToPath(new URL('./melody-bench-model.ts', import.meta.url)),
    exportName: 'melodyBenchModel',
    args,
  };
  const model = melodyBenchModel(args);
  const x = tf.randomNormal([batch, frames, 64]);
  const y = tf.tidy(() => tf.cast(tf.less(tf.randomUniform([batch, frames, 128]), 0.05), 'float32'));
  const common = { model, modelSpec, loss: 'binaryCrossentropy' as const };
  const one = await createParallelTrainer({ ...common, optimizer: tf.train.adam(1e-3), workers: 1 });
  const two = await createParallelTrainer({ ...common, optimizer: tf.train.adam(1e-3), workers: 2 });
  const time = async (trainer: typeof one) => {
    const serial0 = trainer.timing().serialCpuSeconds;
    const c0 = cpuNow();
    const t0 = performance.now();
    await trainer.trainBatch(x, y);
    return {
      wall: (performance.now() - t0) / 1000,
      cpu: cpuNow() - c0,
      serialCpu: trainer.timing().serialCpuSeconds - serial0,
    };
  };
  await time(one); // warm-up both
  await time(two);
  const w1: Array<Awaited<ReturnType<typeof time>>> = [];
  const w2: typeof w1 = [];
  for (let r = 0; r < rounds; r++) {
    w1.push(await time(one));
    w2.push(await time(two));
    process.stderr.write('.');
  }
  await two.dispose();
  process.stderr.write('\n');
  return {
    w1Seconds: w1.map((s) => s.wall),
    w2Seconds: w2.map((s) => s.wall),
    w1CpuSeconds: w1.map((s) => s.cpu),
    w2CpuSeconds: w2.map((s) => s.cpu),
    w2SerialCpuSeconds: w2.map((s) => s.serialCpu),
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

async function run(config: ChildConfig): Promise<ChildResult | ScalingResult> {
  await tf.setBackend('wasm');
  await tf.ready();
  if (config.task === 'scaling') return scaling(config.frames, config.batch, config.rounds);
  let r: Omit<ChildResult, 'peakRssMb'>;
  if (config.task === 'matmul') {
    const a = tf.randomNormal([config.size, config.size]);
    const b = tf.randomNormal([config.size, config.size]);
    r = await measure(config.reps, 30, async () => {
      const c = tf.matMul(a, b);
      c.dataSync();
      c.dispose();
    });
  } else if (config.task === 'matmul-ta') {
    const a = tf.randomNormal([config.rows, config.k]);
    const b = tf.randomNormal([config.rows, config.n]);
    const explicit = config.mode === 'explicit';
    r = await measure(config.reps, 30, async () => {
      const c = tf.tidy(() => (explicit ? tf.matMul(tf.transpose(a), b) : tf.matMul(a, b, true, false)));
      c.dataSync();
      c.dispose();
    });
  } else {
    const { kind, frames, batch, workers } = config;
    const args = { kind, frames, seed: 1 };
    const model = melodyBenchModel(args);
    const x = tf.randomNormal([batch, frames, 64]);
    const y = tf.tidy(() => tf.cast(tf.less(tf.randomUniform([batch, frames, 128]), 0.05), 'float32'));
    if (workers === 0) {
      model.compile({ optimizer: tf.train.adam(1e-3), loss: 'binaryCrossentropy' });
      r = await measure(config.steps, config.budgetSeconds, async () => {
        await model.trainOnBatch(x, y);
      });
    } else {
      const trainer = await createParallelTrainer({
        model,
        modelSpec: {
          module: fileURLToPath(new URL('./melody-bench-model.ts', import.meta.url)),
          exportName: 'melodyBenchModel',
          args,
        },
        loss: 'binaryCrossentropy',
        optimizer: tf.train.adam(1e-3),
        workers,
      });
      r = await measure(config.steps, config.budgetSeconds, async () => {
        await trainer.trainBatch(x, y);
      });
      await trainer.dispose();
    }
  }
  process.stderr.write('\n');
  return { ...r, peakRssMb: process.resourceUsage().maxRSS / 1024 };
}

export async function main(argv: string[]): Promise<number> {
  const config = ChildConfig.parse(JSON.parse(argv[2] ?? '{}'));
  const result = await run(config);
  process.stdout.write(JSON.stringify(result) + '\n');
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
