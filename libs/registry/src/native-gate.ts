import { and, desc, eq } from 'drizzle-orm';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { artifacts, type ModelAlias } from '@kelly/tracking/schema';
import type { Tracker } from '@kelly/tracking';
import type {
  GateFacts,
  GatePolicy,
  GateResult,
  NativeRtneuralCheck,
  NativeRtneuralOutcome,
} from './gate-types';

/** Artifact kind of the held-out clips + tfjs outputs the trainer records at export time. */
export const HELD_OUT_ARTIFACT_KIND = 'rtneural-held-out';

/** Absolute path of the run's held-out clips, or null when it recorded none (or the file is gone). */
export function heldOutPath(tracker: Tracker, runId: string): string | null {
  const art = tracker.db
    .select()
    .from(artifacts)
    .where(and(eq(artifacts.runId, runId), eq(artifacts.kind, HELD_OUT_ARTIFACT_KIND)))
    .orderBy(desc(artifacts.id))
    .get();
  if (!art) return null;
  const abs = resolve(tracker.paths.artifacts, art.path);
  return existsSync(abs) ? abs : null;
}

/**
 * Runs the injected native check on the run's export and held-out clips. A check that throws (it should not)
 * becomes a failed outcome with its message, so the gate reports it instead of the promotion crashing.
 */
export async function gatherNative(
  tracker: Tracker,
  runId: string,
  modelPath: string | null,
  check: NativeRtneuralCheck | undefined,
): Promise<GateFacts['native']> {
  if (!check) return undefined;
  const heldOut = heldOutPath(tracker, runId);
  if (!heldOut || !modelPath || !existsSync(modelPath)) return { heldOutPath: heldOut, outcome: null };
  let outcome: NativeRtneuralOutcome;
  try {
    outcome = await check({ modelPath, heldOutPath: heldOut });
  } catch (e) {
    outcome = { status: 'failed', stage: 'check', reason: e instanceof Error ? e.message : String(e) };
  }
  return { heldOutPath: heldOut, outcome };
}

const fmt = (x: number) =>
  !Number.isFinite(x)
    ? String(x)
    : x !== 0 && Math.abs(x) < 1e-3
      ? x.toExponential(2)
      : Number(x.toPrecision(3)).toString();
const pct = (x: number) => `${Number((x * 100).toPrecision(2))} %`;

/**
 * `native-rtneural`: the export parses in real RTNeural, its outputs on the held-out clips match tfjs within
 * the parity tolerance, and its p99 per-frame time fits the hop with the policy's margin. Required for
 * production; for other aliases it is judged when it can run and skipped (with the reason) when it cannot.
 * Evidence holds the native and the TypeScript reference's figures side by side.
 */
export function gateNative(f: GateFacts, alias: ModelAlias, p: GatePolicy): GateResult {
  const gate = 'native-rtneural' as const;
  const required = alias === 'production';
  const typescript = {
    maxAbsErr: f.parityErr ?? null,
    frameMs: f.realtime.frameMs ?? null,
    hopShare: f.realtime.frameMs !== undefined ? f.realtime.frameMs / p.hopMs : (f.realtime.ratio ?? null),
  };
  const limits = {
    tolerance: p.maxParityErr,
    hopMs: p.hopMs,
    maxHopShare: p.nativeMaxHopShare,
    budgetMs: p.hopMs * p.nativeMaxHopShare,
    minFrames: p.nativeMinFrames,
  };
  const cannot = (summary: string, evidence: Record<string, unknown> = {}): GateResult => ({
    gate,
    verdict: required ? 'fail' : 'skipped',
    summary,
    evidence: { ...evidence, limits, typescript },
  });
  if (!f.native) return cannot('no native RTNeural check was supplied');
  const { outcome, heldOutPath: held } = f.native;
  if (!held)
    return cannot(
      `the run recorded no held-out clips (artifact '${HELD_OUT_ARTIFACT_KIND}'); retrain it to record them`,
    );
  if (!outcome) return cannot('no readable RTNeural artifact to run');
  if (outcome.status === 'unavailable') return cannot(outcome.reason, { status: outcome.status });
  if (outcome.status === 'failed') {
    const what =
      outcome.stage === 'parse' ? 'RTNeural rejected the model' : `native run failed (${outcome.stage})`;
    return {
      gate,
      verdict: 'fail',
      summary: `${what}: ${outcome.reason}`,
      evidence: { native: outcome, limits, typescript },
    };
  }
  const t = outcome.timing;
  const share = t.p99Ms / p.hopMs;
  const errOk = Number.isFinite(outcome.maxAbsErr) && outcome.maxAbsErr <= p.maxParityErr;
  const enough = t.frames >= p.nativeMinFrames;
  const timeOk = enough && Number.isFinite(share) && share <= p.nativeMaxHopShare;
  const tsPart =
    typescript.frameMs !== null
      ? `; TypeScript reference ${fmt(typescript.frameMs)} ms/frame${typescript.maxAbsErr !== null ? `, error ${fmt(typescript.maxAbsErr)}` : ''}`
      : '';
  const summary =
    `max |RTNeural − tfjs| ${fmt(outcome.maxAbsErr)} ${errOk ? '≤' : '>'} ${fmt(p.maxParityErr)} on ${outcome.clips} clips; ` +
    `median ${fmt(t.medianMs)} / p99 ${fmt(t.p99Ms)} ms/frame over ${t.frames} frames = ${pct(share)} of the ${p.hopMs} ms hop ` +
    `(${timeOk ? 'within' : enough ? 'over' : 'too few frames for'} ${pct(p.nativeMaxHopShare)})${tsPart}`;
  return {
    gate,
    verdict: errOk && timeOk ? 'pass' : 'fail',
    summary,
    evidence: { native: { ...outcome, hopShareP99: share }, limits, typescript },
  };
}
