/** Frame-level binary metrics (micro-averaged over every frame × pitch). */
export interface BinaryMetrics {
  precision: number;
  recall: number;
  f1: number;
  tp: number;
  fp: number;
  fn: number;
}

/**
 * @param pred probabilities (or scores), flat; @param target {0,1}, same length; predicted positive
 * when pred ≥ threshold. Precision is 0 when nothing is predicted (so the all-zeros baseline scores F1 = 0).
 */
export function binaryMetrics(
  pred: ArrayLike<number>,
  target: ArrayLike<number>,
  threshold = 0.5,
): BinaryMetrics {
  if (pred.length !== target.length)
    throw new Error(`binaryMetrics: length ${pred.length} vs ${target.length}`);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < pred.length; i++) {
    const p = (pred[i] ?? 0) >= threshold;
    const t = (target[i] ?? 0) >= 0.5;
    if (p && t) tp++;
    else if (p) fp++;
    else if (t) fn++;
  }
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, tp, fp, fn };
}

/** Mean absolute error, optionally scaled (e.g. normalised offsets → milliseconds). */
export function meanAbsoluteError(pred: ArrayLike<number>, target: ArrayLike<number>, scale = 1): number {
  if (pred.length !== target.length)
    throw new Error(`meanAbsoluteError: length ${pred.length} vs ${target.length}`);
  if (pred.length === 0) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < pred.length; i++) sum += Math.abs((pred[i] ?? 0) - (target[i] ?? 0));
  return (sum / pred.length) * scale;
}

export interface ClassificationMetrics {
  accuracy: number;
  /** Unweighted mean of per-class F1 over classes present in targets or predictions. */
  macroF1: number;
  perClassF1: number[];
}

/** @param predicted class index per sample; @param actual class index per sample; classes 0..numClasses-1. */
export function classificationMetrics(
  predicted: ArrayLike<number>,
  actual: ArrayLike<number>,
  numClasses: number,
): ClassificationMetrics {
  if (predicted.length !== actual.length)
    throw new Error(`classificationMetrics: length ${predicted.length} vs ${actual.length}`);
  const tp = new Array<number>(numClasses).fill(0);
  const fp = new Array<number>(numClasses).fill(0);
  const fn = new Array<number>(numClasses).fill(0);
  let correct = 0;
  for (let i = 0; i < predicted.length; i++) {
    const p = predicted[i] ?? -1;
    const a = actual[i] ?? -1;
    if (p === a) {
      correct++;
      tp[a] = (tp[a] ?? 0) + 1;
    } else {
      fp[p] = (fp[p] ?? 0) + 1;
      fn[a] = (fn[a] ?? 0) + 1;
    }
  }
  const perClassF1: number[] = [];
  const present: number[] = [];
  for (let c = 0; c < numClasses; c++) {
    const t = tp[c] ?? 0;
    const denom = 2 * t + (fp[c] ?? 0) + (fn[c] ?? 0);
    const f1 = denom === 0 ? 0 : (2 * t) / denom;
    perClassF1.push(f1);
    if (denom > 0) present.push(f1);
  }
  const macroF1 = present.length === 0 ? 0 : present.reduce((a, b) => a + b, 0) / present.length;
  return { accuracy: predicted.length === 0 ? Number.NaN : correct / predicted.length, macroF1, perClassF1 };
}

/** Index of the largest of `values[offset .. offset+n)`. */
export function argmax(values: ArrayLike<number>, offset = 0, n = values.length - offset): number {
  let best = 0;
  let bestV = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[offset + i] ?? -Infinity;
    if (v > bestV) {
      bestV = v;
      best = i;
    }
  }
  return best;
}
