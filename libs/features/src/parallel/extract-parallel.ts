import type { FeatureCache } from '../cache/feature-cache';
import { readAudio } from '../audio/read-audio';
import { logMel, type FeatureMatrix } from '../dsp/log-mel';
import { WorkerPool } from './worker-pool';

/**
 * Log-mel of many clips (16 kHz Float32Array) or audio files (paths; decoded, mixed, resampled) on `workers`
 * threads (1 = in this thread). Results are in input order and identical for any worker count. Arrays sent to
 * workers are copied, not transferred: the caller's inputs stay usable. With a `cache`, hits are served from disk
 * and only misses are computed (and stored). Pass a started `pool` to reuse its threads across calls (its size
 * then sets the parallelism and `workers` is ignored; the caller closes it).
 */
export async function extractLogMelParallel(
  inputs: readonly (Float32Array | string)[],
  opts: { workers?: number; cache?: FeatureCache; batch?: number; pool?: WorkerPool } = {},
): Promise<FeatureMatrix[]> {
  const out: (FeatureMatrix | undefined)[] = new Array<FeatureMatrix | undefined>(inputs.length);
  const todo: number[] = [];
  inputs.forEach((input, i) => {
    const hit = opts.cache && typeof input !== 'string' ? opts.cache.get(input) : null;
    if (hit) out[i] = hit;
    else todo.push(i);
  });
  const workers = Math.min(opts.pool?.size ?? opts.workers ?? 1, todo.length);
  if (workers <= 1 && !opts.pool) {
    for (const i of todo) {
      const input = inputs[i]!;
      out[i] = logMel(typeof input === 'string' ? (await readAudio(input)).samples : input);
    }
  } else {
    const batch = opts.batch ?? Math.max(1, Math.ceil(todo.length / (workers * 4)));
    const groups: number[][] = [];
    for (let s = 0; s < todo.length; s += batch) groups.push(todo.slice(s, s + batch));
    const pool = opts.pool ?? new WorkerPool(workers);
    try {
      const results = await pool.run(
        groups.map((g) => ({ type: 'logmel' as const, inputs: g.map((i) => inputs[i]!) })),
      );
      results.forEach((r, gi) => {
        if (r.type !== 'logmel') return;
        groups[gi]!.forEach((i, k) => (out[i] = r.features[k]));
      });
    } finally {
      if (!opts.pool) await pool.close();
    }
  }
  if (opts.cache)
    for (const i of todo)
      if (typeof inputs[i] !== 'string') opts.cache.put(inputs[i] as Float32Array, out[i]!);
  return out as FeatureMatrix[];
}
