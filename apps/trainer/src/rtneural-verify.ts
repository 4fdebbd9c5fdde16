import * as tf from '@tensorflow/tfjs';
import { checkParity, exportToRtneural, measureRealtime, validateRtneuralModel } from '@kelly/models';
import type { Run } from '@kelly/tracking';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Parity bound between tfjs `predict` and the streaming RTNeural re-implementation (issue 6). */
export const PARITY_TOLERANCE = 1e-4;

export interface RtneuralVerdict {
  passed: boolean;
  maxAbsErr: number;
  clips: number;
  frames: number;
  perFrameMs: number;
  ratioToHop: number;
  file: string;
}

/**
 * Exports the model to RTNeural JSON, validates it, runs it through the streaming re-implementation on
 * held-out clips `x` [n, frames, in] against tfjs `predict`, times one frame, and records it all on `run`:
 * artifacts `rtneural` (the JSON) and `parity-report`; metrics `rtneural_max_abs_err`, `rtneural_frame_ms`,
 * `rtneural_realtime_ratio`; system field `rtneural`.
 * @throws RtneuralExportError / RtneuralModelError when the model cannot be written for RTNeural.
 */
export async function exportAndVerify(
  model: tf.LayersModel,
  x: tf.Tensor3D,
  outDir: string,
  name: string,
  run: Run,
  step: number,
): Promise<RtneuralVerdict> {
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
  const parity = checkParity(model, json, x);
  const realtime = measureRealtime(json, { hopMs: 16 });
  const passed = Number.isFinite(parity.maxAbsErr) && parity.maxAbsErr <= PARITY_TOLERANCE;
  const report = {
    tolerance: PARITY_TOLERANCE,
    passed,
    clips: x.shape[0],
    framesPerClip: x.shape[1],
    ...parity,
    realtime,
  };
  const reportFile = join(outDir, 'parity-report.json');
  await writeFile(
    reportFile,
    JSON.stringify(
      report,
      (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v),
      2,
    ),
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
      passed,
      maxAbsErr: Number.isFinite(parity.maxAbsErr) ? parity.maxAbsErr : String(parity.maxAbsErr),
      perFrameMs: realtime.perFrameMs,
      p95FrameMs: realtime.p95FrameMs,
      ratioToHop: realtime.ratioToHop,
      hopMs: realtime.hopMs,
    },
  });
  return {
    passed,
    maxAbsErr: parity.maxAbsErr,
    clips: x.shape[0],
    frames: parity.frames,
    perFrameMs: realtime.perFrameMs,
    ratioToHop: realtime.ratioToHop,
    file,
  };
}

/** Thrown (→ run FAILED) when the exported model does not reproduce tfjs within {@link PARITY_TOLERANCE}. */
export class ParityError extends Error {
  override name = 'RtneuralParityError';
}
