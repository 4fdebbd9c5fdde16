import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testStoreLocation } from '@kelly/test-support';
import { openTracker, type Run, type Tracker } from '@kelly/tracking';
import type { NativeRtneuralCheck, NativeRtneuralOutcome } from '../gate-types';
import { RTNEURAL_FIXTURES } from './schema-check';

/** A real exported model of ../shared/fixtures/rtneural (only for tests that skip without the fixtures). */
export const LSTM_SMALL = join(RTNEURAL_FIXTURES, 'lstm-small', 'model.json');

/**
 * Writes a small valid RTNeural model (one dense 1→1 tanh layer, with in_shape) into `dir` and returns its path:
 * the stand-in for tests that are not about real exports. `variant` changes its weight, so two variants differ.
 */
export function writeCraftedModel(dir: string, variant = 0): string {
  const file = join(dir, `crafted-model-${variant}.json`);
  const layer = {
    type: 'dense',
    activation: 'tanh',
    shape: [null, null, 1],
    weights: [[[0.5 + variant / 8]], [0.25]],
  };
  writeFileSync(file, JSON.stringify({ in_shape: [null, null, 1], layers: [layer] }));
  return file;
}

/**
 * A fresh Kelly home with a real store: its SQLite file, or a fresh PostgreSQL database in registry@pg
 * (testStoreLocation). Default health rules: a complete run is healthy however fast.
 */
export function tempTracker(home = mkdtempSync(join(tmpdir(), 'kelly-registry-'))): Tracker {
  return openTracker({ home, path: testStoreLocation(home, 'tracking.db'), handleSignals: false });
}

export interface CraftOptions {
  experiment?: string;
  /** RTNeural JSON file logged as the `rtneural` artifact (default {@link writeCraftedModel} in the home); null logs none. */
  modelFile?: string | null;
  /** Per-epoch val_loss values (default 0.5, 0.4, 0.3). */
  valLoss?: number[];
  /** `config.epochs` (default: one per val_loss value, i.e. a complete run). */
  configuredEpochs?: number;
  /** Extra metrics logged once at the end (default: healthy parity and real-time figures). */
  final?: Record<string, number>;
  /** Log held-out clips (artifact `rtneural-held-out`, from the lstm-small test vectors). Default true. */
  heldOut?: boolean;
  end?: 'end' | 'fail';
}

/** Creates a run through the real client: epochs of loss/val_loss, the RTNeural figures, the artifact, the end. */
export async function craftRun(tracker: Tracker, o: CraftOptions = {}): Promise<string> {
  const valLoss = o.valLoss ?? [0.5, 0.4, 0.3];
  const run = await tracker.startRun({
    experiment: o.experiment ?? 'melodytransformer',
    config: {
      epochs: o.configuredEpochs ?? valLoss.length,
      train: { batchSize: 16, lr: 0.001 },
      dataset: { id: 'synth', contentHash: 'abc' },
    },
    gitCommit: 'deadbeef',
    hardware: 'test-cpu',
  });
  valLoss.forEach((v, epoch) => run.logMetrics({ loss: v + 0.05, val_loss: v }, { step: epoch, epoch }));
  run.logMetrics(
    o.final ?? { rtneural_max_abs_err: 2e-6, rtneural_frame_ms: 0.5, rtneural_realtime_ratio: 0.5 / 16 },
    {
      step: valLoss.length,
    },
  );
  const modelFile = o.modelFile === undefined ? writeCraftedModel(tracker.paths.home) : o.modelFile;
  if (modelFile) await run.logArtifact(modelFile, { kind: 'rtneural', name: 'model.json' });
  if (o.heldOut ?? true) await logHeldOut(run);
  if (o.end === 'fail') await run.fail(new Error('crafted failure'));
  else await run.end();
  return run.id;
}

/** Accepts anything; for tests that are not about the validator. */
export const acceptAll = () => ({ ok: true, errors: [] });

/** Logs {@link craftedHeldOut} as the run's `rtneural-held-out` artifact. */
export async function logHeldOut(run: Run): Promise<void> {
  const file = join(mkdtempSync(join(tmpdir(), 'kelly-held-out-')), 'held-out.json');
  writeFileSync(file, JSON.stringify(craftedHeldOut()));
  await run.logArtifact(file, { kind: 'rtneural-held-out', name: 'held-out.json' });
}

/**
 * Held-out clips for the crafted model (dense 1→1 tanh, weight 0.5, bias 0.25), its outputs computed here in
 * float64. The registry tests inject a stand-in native check that does not read them; the real check is tested
 * in tools/cli and libs/rtneural-native.
 */
export function craftedHeldOut() {
  const input = [[-1], [-0.5], [0], [0.5], [1]];
  return {
    format: 'kelly-rtneural-held-out',
    version: 1,
    source: 'float64 reference',
    inSize: 1,
    outSize: 1,
    clips: [{ input, expected: input.map(([x]) => [Math.tanh(0.5 * x! + 0.25)]), offset: 0 }],
  };
}

/** A native outcome with healthy figures (registry tests are about the gates; the real runner is tested in the CLI). */
export const nativeRan = (over: Partial<Extract<NativeRtneuralOutcome, { status: 'ran' }>> = {}) =>
  ({
    status: 'ran',
    maxAbsErr: 2e-7,
    clips: 1,
    comparedFrames: 128,
    timing: {
      clock: 'thread-cpu',
      medianMs: 0.01,
      p99Ms: 0.02,
      wallMedianMs: 0.011,
      wallP99Ms: 0.03,
      frames: 2000,
      warmup: 200,
    },
    ...over,
  }) satisfies NativeRtneuralOutcome;

/** Stands in for the native check: always reports {@link nativeRan}. */
export const nativePass: NativeRtneuralCheck = async () => nativeRan();
