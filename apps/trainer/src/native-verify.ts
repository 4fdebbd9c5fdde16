import type * as tf from '@tensorflow/tfjs';
import { tfjsReference } from '@kelly/models';
import {
  checkNativeModel,
  HELD_OUT_FORMAT,
  judgeNative,
  type HeldOut,
  type NativeCheckOutcome,
  type ToolchainOptions,
} from '@kelly/rtneural-native';
import { RTNEURAL_CONTRACT, type Run } from '@kelly/tracking';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Artifact kind of the held-out clips + tfjs outputs (read by the promotion gate's native check). */
export const HELD_OUT_KIND = 'rtneural-held-out';

/** Thrown (→ run FAILED) when real RTNeural rejects the export, crashes on it, or disagrees with tfjs. */
export class NativeRtneuralError extends Error {
  override name = 'NativeRtneuralError';
}

/** What the export stage reports about the native check. */
export interface NativeSummary {
  status: NativeCheckOutcome['status'];
  /** One line (the gate's wording). */
  summary: string;
}

/** 9 significant digits: float32 values round-trip exactly and the file stays small. */
const f9 = (rows: readonly Float32Array[]) => rows.map((r) => Array.from(r, (v) => Number(v.toPrecision(9))));

/**
 * Records the held-out clips with tfjs `predict`'s outputs on them (artifact `rtneural-held-out`), so the
 * promotion gate can re-run the check in real RTNeural without tfjs.
 */
export async function recordHeldOut(
  model: tf.LayersModel,
  x: tf.Tensor3D,
  outDir: string,
  run: Run,
  source: string,
): Promise<{ file: string; heldOut: HeldOut }> {
  const clips = tfjsReference(model, x);
  const heldOut: HeldOut = {
    format: HELD_OUT_FORMAT,
    version: 1,
    source,
    inSize: x.shape[2],
    outSize: clips[0]!.expected[0]!.length,
    clips: clips.map((c) => ({ input: f9(c.input), expected: f9(c.expected), offset: c.offset })),
  };
  const file = join(outDir, 'held-out.json');
  await writeFile(file, JSON.stringify(heldOut));
  await run.logArtifact(file, { kind: HELD_OUT_KIND });
  return { file, heldOut };
}

/**
 * Runs the exported model in real RTNeural on the held-out clips (see checkNativeModel) and records it on the
 * run: metrics `native_rtneural_max_abs_err`, `native_rtneural_frame_ms` (median, thread CPU),
 * `native_rtneural_p99_ms`, `native_rtneural_hop_share` (p99 / hop); system field `rtneural_native`; artifact
 * `native-report`. Without a checkout or compiler it records why and returns (the promotion gate refuses later).
 * @throws NativeRtneuralError when RTNeural rejects the model, crashes or hangs on it, or differs from tfjs by more
 *   than the contract's tolerance. A slow p99 is recorded, not thrown: the gate judges it.
 */
export async function verifyNative(
  modelPath: string,
  heldOut: HeldOut,
  outDir: string,
  run: Run,
  step: number,
  toolchain: ToolchainOptions,
): Promise<NativeSummary> {
  const { parityTolerance: tolerance, hopMs, nativeHopShare: maxHopShare } = RTNEURAL_CONTRACT;
  const outcome = await checkNativeModel({ ...toolchain, modelPath, heldOut });
  const verdict = judgeNative(outcome, { tolerance, hopMs, maxHopShare });
  const reportFile = join(outDir, 'native-report.json');
  await writeFile(
    reportFile,
    JSON.stringify({ ...outcome, verdict, limits: { tolerance, hopMs, maxHopShare } }, null, 2),
  );
  await run.logArtifact(reportFile, { kind: 'native-report' });
  if (outcome.status === 'ran') {
    run.logMetrics(
      {
        native_rtneural_max_abs_err: outcome.maxAbsErr,
        native_rtneural_frame_ms: outcome.timing.medianMs,
        native_rtneural_p99_ms: outcome.timing.p99Ms,
        native_rtneural_hop_share: outcome.timing.p99Ms / hopMs,
      },
      { step },
    );
  }
  run.setSystem({
    rtneural_native:
      outcome.status === 'ran'
        ? {
            status: 'ran',
            passed: verdict.passed,
            maxAbsErr: Number.isFinite(outcome.maxAbsErr) ? outcome.maxAbsErr : String(outcome.maxAbsErr),
            timing: outcome.timing,
            rtneuralDir: outcome.runner.rtneuralDir,
            compiler: outcome.runner.compiler,
          }
        : { status: outcome.status, passed: false, reason: outcome.reason },
  });
  const rejected =
    outcome.status === 'failed' ||
    (outcome.status === 'ran' && !(Number.isFinite(outcome.maxAbsErr) && outcome.maxAbsErr <= tolerance));
  if (rejected) throw new NativeRtneuralError(`native RTNeural check failed: ${verdict.summary}`);
  return { status: outcome.status, summary: verdict.summary };
}
