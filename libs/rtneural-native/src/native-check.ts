import { ensureRunner, NativeBuildError, type EnsureOptions } from './build';
import { readHeldOut, type HeldOut } from './held-out';
import { runRunner, type RunnerLayer, type RunnerStage } from './run-runner';
import { summarizeTiming, type NativeTiming } from './timing';
import { NativeUnavailableError } from './toolchain';

/** Frames timed by the native check (the gate needs ≥ 1,000 after warm-up). */
export const NATIVE_TIMED_FRAMES = 2000;
export const NATIVE_WARMUP_FRAMES = 200;

export interface NativeRan {
  status: 'ran';
  /** Max |RTNeural − tfjs| over every compared output value; Infinity when either side is non-finite. */
  maxAbsErr: number;
  perClip: number[];
  clips: number;
  /** Output frames compared, over all clips. */
  comparedFrames: number;
  timing: NativeTiming;
  layers: RunnerLayer[];
  runner: { hash: string; rtneuralDir: string; compiler: string; built: boolean };
}
export interface NativeFailed {
  status: 'failed';
  stage: RunnerStage | 'build' | 'held-out';
  /** One line: RTNeural's own message where it gave one. */
  reason: string;
  messages: string[];
}
export interface NativeUnavailable {
  status: 'unavailable';
  /** One line saying how to provide the checkout and the compiler. */
  reason: string;
}
export type NativeCheckOutcome = NativeRan | NativeFailed | NativeUnavailable;

export interface NativeCheckOptions extends EnsureOptions {
  /** The RTNeural model JSON file (what ships). */
  modelPath: string;
  /** Held-out clips with tfjs outputs, or the file holding them. */
  heldOut: HeldOut | string;
  warmup?: number;
  timed?: number;
  /** Time limit of one runner run. Default 120 s. */
  timeoutMs?: number;
}

const absDiff = (a: number, b: number) => {
  const d = Math.abs(a - b);
  return Number.isFinite(d) ? d : Number.POSITIVE_INFINITY;
};

/**
 * Runs the model in real RTNeural (built on demand, see ensureRunner) on held-out clips and compares every
 * output value with tfjs `predict`'s, then times ≥ 1,000 single frames after a warm-up.
 * Never throws for a missing toolchain, a model RTNeural rejects, a crash or a hang: those are outcomes.
 */
export async function checkNativeModel(opts: NativeCheckOptions): Promise<NativeCheckOutcome> {
  let heldOut: HeldOut;
  try {
    heldOut = typeof opts.heldOut === 'string' ? readHeldOut(opts.heldOut) : opts.heldOut;
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return { status: 'failed', stage: 'held-out', reason, messages: [reason] };
  }
  let binary: Awaited<ReturnType<typeof ensureRunner>>;
  try {
    binary = await ensureRunner(opts);
  } catch (e) {
    if (e instanceof NativeUnavailableError) return { status: 'unavailable', reason: e.message };
    if (e instanceof NativeBuildError)
      return { status: 'failed', stage: 'build', reason: e.message, messages: [e.message] };
    throw e;
  }
  const warmup = opts.warmup ?? NATIVE_WARMUP_FRAMES;
  const run = await runRunner({
    binary: binary.path,
    modelPath: opts.modelPath,
    clips: heldOut.clips.map((c) => c.input),
    warmup,
    timed: opts.timed ?? NATIVE_TIMED_FRAMES,
    timeoutMs: opts.timeoutMs,
  });
  if (!run.ok) return { status: 'failed', stage: run.stage, reason: run.message, messages: run.messages };
  if (run.outSize !== heldOut.outSize) {
    const reason = `RTNeural gives ${run.outSize} values per frame, tfjs gave ${heldOut.outSize}`;
    return { status: 'failed', stage: 'size', reason, messages: [reason] };
  }
  const perClip = heldOut.clips.map((clip, c) => {
    const got = run.output.clips[c]!;
    let err = 0;
    clip.expected.forEach((row, t) => {
      const native = got[clip.offset + t]!;
      for (let j = 0; j < row.length; j++) err = Math.max(err, absDiff(row[j]!, native[j]!));
    });
    return err;
  });
  return {
    status: 'ran',
    maxAbsErr: perClip.reduce((a, b) => Math.max(a, b), 0),
    perClip,
    clips: heldOut.clips.length,
    comparedFrames: heldOut.clips.reduce((n, c) => n + c.expected.length, 0),
    timing: summarizeTiming(run.output.cpuNs, run.output.wallNs, warmup),
    layers: run.layers,
    runner: {
      hash: binary.hash,
      rtneuralDir: binary.toolchain.rtneuralDir,
      compiler: binary.toolchain.cxxVersion,
      built: binary.built,
    },
  };
}

/** The limits a native run is judged by (the trainer and the gates pass RTNEURAL_CONTRACT's figures). */
export interface NativeLimits {
  tolerance: number;
  hopMs: number;
  /** p99 per-frame time must be ≤ hopMs × this. */
  maxHopShare: number;
}

export interface NativeVerdict {
  passed: boolean;
  /** One line, e.g. `max |RTNeural − tfjs| 2.1e-7 ≤ 1e-4; p99 0.12 ms/frame = 0.8 % of the 16 ms hop (limit 25 %)`. */
  summary: string;
}

const fmt = (x: number) =>
  !Number.isFinite(x)
    ? String(x)
    : x !== 0 && Math.abs(x) < 1e-3
      ? x.toExponential(2)
      : Number(x.toPrecision(3)).toString();
const pct = (x: number) => `${Number((x * 100).toPrecision(2))} %`;

/** Judges an outcome: it ran, matched tfjs within the tolerance, and its p99 frame fits the hop with the margin. */
export function judgeNative(o: NativeCheckOutcome, limits: NativeLimits): NativeVerdict {
  if (o.status === 'unavailable') return { passed: false, summary: o.reason };
  if (o.status === 'failed')
    return {
      passed: false,
      summary: `RTNeural ${o.stage === 'parse' ? 'rejected the model' : `run failed (${o.stage})`}: ${o.reason}`,
    };
  const errOk = Number.isFinite(o.maxAbsErr) && o.maxAbsErr <= limits.tolerance;
  const share = o.timing.p99Ms / limits.hopMs;
  const timeOk = Number.isFinite(share) && share <= limits.maxHopShare && o.timing.frames >= 1000;
  return {
    passed: errOk && timeOk,
    summary:
      `max |RTNeural − tfjs| ${fmt(o.maxAbsErr)} ${errOk ? '≤' : '>'} ${fmt(limits.tolerance)}; ` +
      `median ${fmt(o.timing.medianMs)} / p99 ${fmt(o.timing.p99Ms)} ms/frame = ${pct(share)} of the ${limits.hopMs} ms hop ` +
      `(${timeOk ? 'within' : 'over'} ${pct(limits.maxHopShare)})`,
  };
}
