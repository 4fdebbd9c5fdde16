import type * as tf from '@tensorflow/tfjs';
import { checkParity, exportToRtneural, measureRealtime, validateRtneuralModel } from '@kelly/models';
import type { ToolchainOptions } from '@kelly/rtneural-native';
import { RTNEURAL_CONTRACT, type Run } from '@kelly/tracking';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { recordHeldOut, verifyNative, type NativeSummary } from './native-verify';

/** The figures of an export that meets the RTNeural contract (parity within its tolerance). */
export interface RtneuralVerdict {
  maxAbsErr: number;
  tolerance: number;
  clips: number;
  frames: number;
  perFrameMs: number;
  ratioToHop: number;
  hopMs: number;
  file: string;
  /** The same model in real RTNeural (see verifyNative). */
  native: NativeSummary;
}

/** Thrown (→ run FAILED) when the exported model does not reproduce tfjs within the contract's tolerance. */
export class ParityError extends Error {
  override name = 'RtneuralParityError';
  constructor(
    /** Max |tfjs − RTNeural| over the held-out clips (Infinity when either side is non-finite). */
    readonly maxAbsErr: number,
    readonly tolerance: number,
    readonly clips: number,
    /** The parity report written before throwing. */
    readonly reportFile: string,
  ) {
    super(
      `RTNeural parity failed: max |tfjs − RTNeural| = ${maxAbsErr} > ${tolerance.toExponential()} on ${clips} held-out clips (report: ${basename(dirname(reportFile))}/${basename(reportFile)})`,
    );
  }
}

const finiteOrText = (v: number): number | string => (Number.isFinite(v) ? v : String(v));

/**
 * Exports the model to RTNeural JSON, validates it, runs it through the streaming re-implementation on
 * held-out clips `x` [n, frames, in] against tfjs `predict`, times one frame against the contract's hop, and
 * records it all on `run` whatever the outcome: artifacts `rtneural` (the JSON) and `parity-report`; metrics
 * `rtneural_max_abs_err`, `rtneural_frame_ms`, `rtneural_realtime_ratio`; system field `rtneural`. Then records the
 * held-out clips with tfjs' outputs (artifact `rtneural-held-out`) and runs the model in real RTNeural when a
 * checkout and a compiler are available (see verifyNative; `toolchain` says where, else KELLY_RTNEURAL_DIR).
 * @returns the figures when parity is within RTNEURAL_CONTRACT.parityTolerance.
 * @throws ParityError (with the figures) when it is not; RtneuralExportError / an Error naming the fields
 *   when the model cannot be written for RTNeural.
 */
export async function exportAndVerify(
  model: tf.LayersModel,
  x: tf.Tensor3D,
  outDir: string,
  name: string,
  run: Run,
  step: number,
  toolchain: ToolchainOptions = {},
): Promise<RtneuralVerdict> {
  const { parityTolerance: tolerance, hopMs } = RTNEURAL_CONTRACT;
  const json = exportToRtneural(model);
  const check = validateRtneuralModel(JSON.parse(JSON.stringify(json)) as unknown);
  if (!check.ok)
    throw new Error(
      `exported RTNeural JSON fails validation: ${check.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
    );
  await mkdir(outDir, { recursive: true });
  const file = join(outDir, `${name}.rtneural.json`);
  await writeFile(file, JSON.stringify(json));
  await run.logArtifact(file, { kind: 'rtneural' });
  const parity = checkParity(model, json, x, tolerance);
  const realtime = measureRealtime(json, { hopMs });
  const report = {
    tolerance,
    passed: parity.passed,
    clips: x.shape[0],
    framesPerClip: x.shape[1],
    maxAbsErr: parity.maxAbsErr,
    perClip: parity.perClip,
    frames: parity.frames,
    realtime,
  };
  const reportFile = join(outDir, 'parity-report.json');
  await writeFile(
    reportFile,
    JSON.stringify(report, (_k, v: unknown) => (typeof v === 'number' ? finiteOrText(v) : v), 2),
  );
  await run.logArtifact(reportFile, { kind: 'parity-report' });
  run.logMetrics(
    {
      rtneural_max_abs_err: parity.maxAbsErr,
      rtneural_frame_ms: realtime.perFrameMs,
      rtneural_realtime_ratio: realtime.ratioToHop,
    },
    { step },
  );
  run.setSystem({
    rtneural: {
      passed: parity.passed,
      maxAbsErr: finiteOrText(parity.maxAbsErr),
      perFrameMs: realtime.perFrameMs,
      p95FrameMs: realtime.p95FrameMs,
      ratioToHop: realtime.ratioToHop,
      hopMs: realtime.hopMs,
    },
  });
  if (!parity.passed) throw new ParityError(parity.maxAbsErr, tolerance, x.shape[0], reportFile);
  const held = await recordHeldOut(model, x, outDir, run, 'tfjs predict');
  const native = await verifyNative(file, held.heldOut, outDir, run, step, toolchain);
  return {
    maxAbsErr: parity.maxAbsErr,
    tolerance,
    clips: x.shape[0],
    frames: parity.frames,
    perFrameMs: realtime.perFrameMs,
    ratioToHop: realtime.ratioToHop,
    hopMs: realtime.hopMs,
    file,
    native,
  };
}
