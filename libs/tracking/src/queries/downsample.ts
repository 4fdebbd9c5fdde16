/** One metric point as queries return it. wallTime Unix ms; value may be NaN/±Infinity. */
export interface MetricPoint {
  step: number;
  epoch: number | null;
  wallTime: number;
  value: number;
}

/** A bucket's extremes, from raw points or from stored rollups. */
export interface BucketExtremes {
  min: MetricPoint | null;
  max: MetricPoint | null;
}

/** Merges consecutive buckets into `target` groups (group of bucket i = floor(i·target/n)), keeping min and max. */
export function mergeBuckets(buckets: BucketExtremes[], target: number): BucketExtremes[] {
  const n = buckets.length;
  if (n <= target) return buckets;
  const out: BucketExtremes[] = [];
  for (let i = 0; i < n; i++) {
    const g = Math.floor((i * target) / n);
    const b = buckets[i]!;
    const cur = (out[g] ??= { min: null, max: null });
    if (b.min && (!cur.min || b.min.value < cur.min.value)) cur.min = b.min;
    if (b.max && (!cur.max || b.max.value > cur.max.value)) cur.max = b.max;
  }
  return out;
}

/** Min/max of finite values in each of `target` groups of consecutive points. */
export function bucketPoints(points: MetricPoint[], target: number): BucketExtremes[] {
  return mergeBuckets(
    points.map((p) => (Number.isFinite(p.value) ? { min: p, max: p } : { min: null, max: null })),
    target,
  );
}

const pointKey = (p: MetricPoint) => `${p.step}|${String(p.value)}`;

/**
 * Assembles a downsampled series of at most `maxPoints`: every `mandatory` point (first, last, non-finite,
 * zero-loss, anomaly-flagged) plus the min and max of each bucket, sorted by step. If the mandatory points alone
 * exceed `maxPoints`, they are thinned evenly, first and last kept — `mandatoryDropped` says how many went.
 */
export function assemble(
  mandatory: MetricPoint[],
  buckets: BucketExtremes[],
  maxPoints: number,
): { points: MetricPoint[]; mandatoryDropped: number } {
  const seen = new Map<string, MetricPoint>();
  let keep = [...new Map(mandatory.map((p) => [pointKey(p), p])).values()].sort((a, b) => a.step - b.step);
  let mandatoryDropped = 0;
  if (keep.length > maxPoints) {
    const n = keep.length;
    const thinned = Array.from(
      { length: maxPoints },
      (_, i) => keep[Math.round((i * (n - 1)) / Math.max(1, maxPoints - 1))]!,
    );
    mandatoryDropped = n - thinned.length;
    keep = thinned;
  }
  for (const p of keep) seen.set(pointKey(p), p);
  for (const b of buckets) {
    for (const p of [b.min, b.max]) {
      if (p && seen.size < maxPoints) seen.set(pointKey(p), p);
    }
  }
  const points = [...seen.values()].sort((a, b) => a.step - b.step || a.wallTime - b.wallTime);
  return { points, mandatoryDropped };
}
