/** Per-frame time figures of a native run (the runner times each forward() on its own). */
export interface NativeTiming {
  /** The clock the gate judges: CPU time of the runner's thread, so other processes on a loaded machine do not count. */
  clock: 'thread-cpu';
  medianMs: number;
  p99Ms: number;
  /** Wall-clock figures of the same frames (include preemption on a loaded machine). */
  wallMedianMs: number;
  wallP99Ms: number;
  /** Timed frames (after warm-up). */
  frames: number;
  warmup: number;
}

/** Nearest-rank quantile of an ascending array (q in [0, 1]). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i]!;
}

export function summarizeTiming(cpuNs: Float64Array, wallNs: Float64Array, warmup: number): NativeTiming {
  const cpu = Float64Array.from(cpuNs).sort();
  const wall = Float64Array.from(wallNs).sort();
  return {
    clock: 'thread-cpu',
    medianMs: quantile(cpu, 0.5) / 1e6,
    p99Ms: quantile(cpu, 0.99) / 1e6,
    wallMedianMs: quantile(wall, 0.5) / 1e6,
    wallP99Ms: quantile(wall, 0.99) / 1e6,
    frames: cpu.length,
    warmup,
  };
}
