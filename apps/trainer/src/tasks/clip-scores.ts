import type { Example } from '@kelly/features';
import { argmax } from '@kelly/models';

/**
 * Per-clip class decision from per-frame outputs: the argmax of the frame-mean of `pred[.., start:end)`.
 * @param pred flat [n, frames, width]
 */
export function clipArgmax(
  pred: Float32Array,
  n: number,
  frames: number,
  width: number,
  start: number,
  end: number,
): number[] {
  const k = end - start;
  const out: number[] = [];
  const mean = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    mean.fill(0);
    for (let t = 0; t < frames; t++) {
      const base = (i * frames + t) * width + start;
      for (let c = 0; c < k; c++) mean[c] = (mean[c] ?? 0) + (pred[base + c] ?? 0);
    }
    out.push(argmax(mean));
  }
  return out;
}

/** Fraction of frames whose argmax over [start, end) equals the clip's class. */
export function frameAccuracy(
  pred: Float32Array,
  labels: readonly number[],
  frames: number,
  width: number,
  start: number,
  end: number,
): number {
  let hit = 0;
  labels.forEach((label, i) => {
    for (let t = 0; t < frames; t++)
      if (argmax(pred, (i * frames + t) * width + start, end - start) === label) hit++;
  });
  return hit / Math.max(1, labels.length * frames);
}

/** Class index of each example (its `label`, else the argmax of y[start, end)). */
export function labelsOf(examples: readonly Example[], start = 0, end?: number): number[] {
  return examples.map((e) =>
    end === undefined && e.label !== undefined ? e.label : argmax(e.y, start, (end ?? e.y.length) - start),
  );
}

/** Accuracy of always answering the most frequent training class. */
export function majorityAccuracy(
  trainLabels: readonly number[],
  valLabels: readonly number[],
): { cls: number; accuracy: number } {
  const counts = new Map<number, number>();
  for (const l of trainLabels) counts.set(l, (counts.get(l) ?? 0) + 1);
  let cls = 0;
  let best = -1;
  for (const [l, c] of counts) if (c > best) [cls, best] = [l, c];
  return { cls, accuracy: valLabels.filter((l) => l === cls).length / Math.max(1, valLabels.length) };
}
