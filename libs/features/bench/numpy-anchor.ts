/**
 * The features bench's anchor, measured in the same run on the same signal: numpy doing librosa 0.11's log-mel
 * (numpy_logmel.py, run with Debian's python3 + python3-numpy). Never part of `npm test`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEBIAN_PYTHON, pythonAnchorEnv } from './env';

const SCRIPT = fileURLToPath(new URL('./numpy_logmel.py', import.meta.url));

export type NumpyAnchor =
  | {
      available: true;
      cpu_ms: number;
      wall_ms: number;
      frames: number;
      numpy: string;
      blas: { corename: string; config: string } | null;
      /** max |numpy − ours| over every log-mel value: the anchor computes the same features. */
      max_abs_diff_vs_ours: number;
    }
  | { available: false; reason: string };

/** Runs the numpy anchor on `x` and compares its features with `ours` ([frames][64] row-major). */
export function numpyLogMel(x: Float32Array, ours: Float32Array): NumpyAnchor {
  const probe = spawnSync(DEBIAN_PYTHON, ['-c', 'import numpy'], {
    encoding: 'utf8',
    env: pythonAnchorEnv(),
  });
  if (probe.error || probe.status !== 0)
    return {
      available: false,
      reason: `${DEBIAN_PYTHON} with numpy is not importable here (${probe.error?.message ?? probe.stderr.trim().split('\n').pop()}); install Debian's python3-numpy`,
    };
  const dir = mkdtempSync(join(tmpdir(), 'kelly-numpy-anchor-'));
  try {
    const input = join(dir, 'signal.f32');
    const output = join(dir, 'logmel.f32');
    writeFileSync(input, new Uint8Array(x.buffer, x.byteOffset, x.byteLength));
    const r = spawnSync(DEBIAN_PYTHON, [SCRIPT, input, output], { encoding: 'utf8', env: pythonAnchorEnv() });
    if (r.status !== 0) return { available: false, reason: `numpy_logmel.py failed: ${r.stderr.trim()}` };
    const doc = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as Omit<
      Extract<NumpyAnchor, { available: true }>,
      'available' | 'max_abs_diff_vs_ours'
    >;
    const bytes = readFileSync(output);
    const theirs = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    if (theirs.length !== ours.length)
      return { available: false, reason: `numpy gave ${theirs.length} values, ours ${ours.length}` };
    let maxAbs = 0;
    for (let i = 0; i < ours.length; i++) maxAbs = Math.max(maxAbs, Math.abs(theirs[i]! - ours[i]!));
    return { available: true, ...doc, max_abs_diff_vs_ours: maxAbs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
