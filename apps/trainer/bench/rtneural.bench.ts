/**
 * `npm run bench -- rtneural`: per-frame inference time of each model kind at its default preset, in real
 * RTNeural (the C++ library the plugin runs, built with g++ -O2 against KELLY_RTNEURAL_DIR, else the vendored
 * ../shared/vendor/rtneural) and in our TypeScript re-implementation, against the 16 ms hop.
 * Goal (issue 15): every default model's native p99 ≤ 5 % of the hop on one core.
 *
 * Models have the default preset's architecture with their initial weights (time does not depend on the values);
 * the native run also checks the export against tfjs predict on two clips. Native figures are thread CPU time
 * per forward() (a loaded machine's preemption does not count; wall figures beside them); TypeScript figures are
 * wall time per forward() (performance.now), so compare them with the native wall figures.
 * Prints one JSON document on stdout (progress on stderr).
 */
import { buildSynthDataset } from '@kelly/features';
import { exportToRtneural, loadRtneuralModel, selectBackend, tfjsReference } from '@kelly/models';
import { checkNativeModel, HELD_OUT_FORMAT, quantile, readNativeEnv } from '@kelly/rtneural-native';
import { RTNEURAL_CONTRACT } from '@kelly/tracking';
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PRESET_TABLE } from '../src/presets';
import { TASKS } from '../src/tasks';
import { computeInputNorm } from '../src/tasks/input-norm';
import { MODEL_KINDS, type ModelKind } from '../src/tasks/task';

const HOP_MS = RTNEURAL_CONTRACT.hopMs;
const GOAL_P99_SHARE = 0.05;
const TIMED = 5000;
const WARMUP = 500;
const VENDOR = resolve(import.meta.dirname, '../../../../shared/vendor/rtneural');

const r4 = (x: number) => Number(x.toPrecision(4));

/** Wall time of single forward() calls of our TypeScript RTNeural, ms. */
function typescriptTiming(json: unknown, frames: Float32Array[]) {
  const m = loadRtneuralModel(json);
  let k = 0;
  for (let i = 0; i < WARMUP; i++) m.forward(frames[k++ % frames.length]!);
  const ms = new Float64Array(TIMED);
  for (let i = 0; i < TIMED; i++) {
    const x = frames[k++ % frames.length]!;
    const t0 = performance.now();
    m.forward(x);
    ms[i] = performance.now() - t0;
  }
  ms.sort();
  return { medianMs: quantile(ms, 0.5), p99Ms: quantile(ms, 0.99), frames: TIMED, clock: 'wall' };
}

async function benchKind(kind: ModelKind, dir: string) {
  const preset = PRESET_TABLE[kind].default;
  const task = TASKS[kind];
  const dataset = await buildSynthDataset(kind, { size: 8, clipFrames: 64, seed: 7 });
  const norm = task.normalizesInput ? computeInputNorm(dataset.train, dataset.inputShape[1] ?? 1) : null;
  const model = task.createModel({ ...preset.model, seed: 1 }, dataset, norm);
  try {
    const json = exportToRtneural(model);
    const file = join(dir, `${kind}.json`);
    writeFileSync(file, JSON.stringify(json));
    const heldOut = task.toTensors(dataset.validation.slice(0, 2), dataset);
    const ref = tfjsReference(model, heldOut.x);
    tf.dispose([heldOut.x, heldOut.y]);
    const f9 = (rows: Float32Array[]) => rows.map((r) => Array.from(r));
    const native = await checkNativeModel({
      modelPath: file,
      heldOut: {
        format: HELD_OUT_FORMAT,
        version: 1,
        source: 'tfjs predict',
        inSize: ref[0]!.input[0]!.length,
        outSize: ref[0]!.expected[0]!.length,
        clips: ref.map((c) => ({ input: f9(c.input), expected: f9(c.expected), offset: c.offset })),
      },
      rtneuralDir: readNativeEnv().KELLY_RTNEURAL_DIR ?? VENDOR,
      warmup: WARMUP,
      timed: TIMED,
    });
    if (native.status !== 'ran') throw new Error(`${kind}: native check ${native.status}: ${native.reason}`);
    const ts = typescriptTiming(
      json,
      ref.flatMap((c) => c.input),
    );
    const t = native.timing;
    console.error(
      `${kind}: native p99 ${r4(t.p99Ms)} ms (${r4((100 * t.p99Ms) / HOP_MS)} % of the hop), TypeScript p99 ${r4(ts.p99Ms)} ms`,
    );
    return {
      model: kind,
      preset: 'default',
      modelConfig: preset.model,
      layers: native.layers.map((l) => `${l.name}${l.out}`).join('→'),
      maxAbsErrVsTfjs: native.maxAbsErr,
      native: {
        clock: t.clock,
        medianMs: r4(t.medianMs),
        p99Ms: r4(t.p99Ms),
        wallMedianMs: r4(t.wallMedianMs),
        wallP99Ms: r4(t.wallP99Ms),
        frames: t.frames,
        p99ShareOfHop: r4(t.p99Ms / HOP_MS),
      },
      typescript: {
        ...ts,
        medianMs: r4(ts.medianMs),
        p99Ms: r4(ts.p99Ms),
        p99ShareOfHop: r4(ts.p99Ms / HOP_MS),
      },
      ratios: {
        typescriptOverNativeMedianWall: r4(ts.medianMs / t.wallMedianMs),
        typescriptOverNativeP99Wall: r4(ts.p99Ms / t.wallP99Ms),
      },
      goalMet: t.p99Ms / HOP_MS <= GOAL_P99_SHARE,
    };
  } finally {
    model.dispose();
  }
}

export async function main(): Promise<number> {
  await selectBackend();
  const dir = mkdtempSync(join(tmpdir(), 'kelly-bench-rtneural-'));
  try {
    const load = loadavg()[0]!;
    const results = [];
    for (const kind of MODEL_KINDS) results.push(await benchKind(kind, dir));
    const doc = {
      hopMs: HOP_MS,
      goal: { nativeP99ShareOfHopMax: GOAL_P99_SHARE, oneCore: true },
      goalMet: results.every((r) => r.goalMet),
      results,
      machine: {
        cpu: cpus()[0]?.model ?? '?',
        cores: cpus().length,
        loadavg1: r4(load),
        loadavg1After: r4(loadavg()[0]!),
      },
    };
    console.log(JSON.stringify(doc, null, 2));
    return doc.goalMet ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) void main().then((code) => process.exit(code));
