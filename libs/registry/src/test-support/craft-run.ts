import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTracker, type Run, type Tracker } from '@kelly/tracking';
import type { NativeRtneuralCheck, NativeRtneuralOutcome } from '../gate-types';
import { RTNEURAL_FIXTURES } from './schema-check';

export const LSTM_SMALL = join(RTNEURAL_FIXTURES, 'lstm-small', 'model.json');

/** A fresh Kelly home with a real SQLite store; health thresholds relaxed so millisecond test runs are healthy. */
export function tempTracker(home = mkdtempSync(join(tmpdir(), 'kelly-registry-'))): Tracker {
  return openTracker({ home, handleSignals: false, health: { minDurationS: 0, minSecondsPerEpoch: 0 } });
}

export interface CraftOptions {
  experiment?: string;
  /** RTNeural JSON file logged as the `rtneural` artifact (default lstm-small); null logs none. */
  modelFile?: string | null;
  /** Per-epoch val_loss values (default 0.5, 0.4, 0.3). */
  valLoss?: number[];
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
      epochs: valLoss.length,
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
  const modelFile = o.modelFile === undefined ? LSTM_SMALL : o.modelFile;
  if (modelFile) await run.logArtifact(modelFile, { kind: 'rtneural', name: 'model.json' });
  if (o.heldOut ?? true) await logHeldOut(run);
  if (o.end === 'fail') await run.fail(new Error('crafted failure'));
  else await run.end();
  return run.id;
}

/** Accepts anything; for tests that are not about the validator. */
export const acceptAll = () => ({ ok: true, errors: [] });

/** Logs the lstm-small held-out clips as the run's `rtneural-held-out` artifact. */
export async function logHeldOut(run: Run): Promise<void> {
  const file = join(mkdtempSync(join(tmpdir(), 'kelly-held-out-')), 'held-out.json');
  writeFileSync(file, JSON.stringify(lstmSmallHeldOut()));
  await run.logArtifact(file, { kind: 'rtneural-held-out', name: 'held-out.json' });
}

/** The lstm-small test vectors as a held-out file (its expected outputs standing in for tfjs'). */
export function lstmSmallHeldOut() {
  const read = (f: string) =>
    JSON.parse(readFileSync(join(RTNEURAL_FIXTURES, 'lstm-small', f), 'utf8')) as number[][];
  const input = read('input.json');
  const expected = read('expected.json');
  return {
    format: 'kelly-rtneural-held-out',
    version: 1,
    source: 'RTNeural test vectors',
    inSize: input[0]!.length,
    outSize: expected[0]!.length,
    clips: [{ input, expected, offset: 0 }],
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
