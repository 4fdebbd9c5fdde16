import { classesFromConfig, pickTrainLossKey, pickValLossKey, summaryFinalTrainLoss } from './loss-keys';
import type { ResolvedHealth } from './health-options';
import { perEpoch, type Finding, type RunFacts, type Series } from './run-facts';

const finite = (s: Series) => {
  const steps: number[] = [];
  const values: number[] = [];
  s.values.forEach((v, i) => {
    if (Number.isFinite(v)) {
      steps.push(s.steps[i]!);
      values.push(v);
    }
  });
  return { steps, values };
};
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const seriesOf = (f: RunFacts, key: string | undefined) => f.losses.find((s) => s.key === key);

/** chance_level: final training loss ≈ ln(classes) and never clearly below it (training on noise). */
export function chanceLevel(f: RunFacts, h: ResolvedHealth): Finding | null {
  const fromConfig = classesFromConfig(f.flatConfig);
  const numClasses = h.numClasses ?? fromConfig?.value;
  if (!numClasses || numClasses < 2) return null;
  const chance = Math.log(numClasses);
  const tol = h.chanceTolerance * chance;
  const key = pickTrainLossKey(f.losses.map((s) => s.key));
  const s = seriesOf(f, key);
  const base = {
    numClasses,
    classesFrom: h.numClasses !== undefined ? 'option' : fromConfig?.key,
    chanceLoss: chance,
    tolerance: tol,
  };
  if (s) {
    const { steps, values } = finite(s);
    if (values.length === 0) return null;
    const tail = values.slice(-Math.max(1, Math.min(5, Math.ceil(values.length / 5))));
    const finalLoss = mean(tail);
    const minLoss = values.reduce((a, b) => (b < a ? b : a), Infinity); // no spread: series can hold 1M points
    if (Math.abs(finalLoss - chance) <= tol && minLoss >= chance - tol) {
      const firstIdx = values.findIndex((v) => Math.abs(v - chance) <= tol);
      return {
        rule: 'chance_level',
        firstStep: steps[firstIdx] ?? null,
        evidence: { ...base, key: s.key, finalLoss, minLoss, points: values.length },
      };
    }
    return null;
  }
  const final = summaryFinalTrainLoss(f.summary);
  if (final !== undefined && Number.isFinite(final) && Math.abs(final - chance) <= tol)
    return { rule: 'chance_level', firstStep: null, evidence: { ...base, summaryFinalLoss: final } };
  return null;
}

/** diverging: the training loss ends well above its best (× divergeFactor) and above where it started. */
export function diverging(f: RunFacts, h: ResolvedHealth): Finding | null {
  const s = seriesOf(f, pickTrainLossKey(f.losses.map((x) => x.key)));
  if (!s) return null;
  const { steps, values } = finite(s);
  if (values.length < h.minPoints) return null;
  const tail = values.slice(-3);
  const finalLoss = mean(tail);
  let minIdx = 0;
  values.forEach((v, i) => {
    if (v < values[minIdx]!) minIdx = i;
  });
  const minLoss = values[minIdx]!;
  if (finalLoss > Math.max(minLoss * h.divergeFactor, minLoss + 1e-12) && finalLoss > values[0]!) {
    const firstIdx = values.findIndex((v, i) => i > minIdx && v > minLoss * h.divergeFactor);
    return {
      rule: 'diverging',
      firstStep: steps[firstIdx] ?? steps[steps.length - 1] ?? null,
      evidence: {
        key: s.key,
        firstLoss: values[0]!,
        minLoss,
        minStep: steps[minIdx]!,
        finalLoss,
        divergeFactor: h.divergeFactor,
      },
    };
  }
  return null;
}

/** plateau: the monitored loss (val, else train) has not improved by more than minDelta in the last `patience` epochs. */
export function plateau(f: RunFacts, h: ResolvedHealth): Finding | null {
  const keys = f.losses.map((x) => x.key);
  const s = seriesOf(f, pickValLossKey(keys)) ?? seriesOf(f, pickTrainLossKey(keys));
  if (!s) return null;
  const epochs = perEpoch(s).filter((p) => Number.isFinite(p.value));
  if (epochs.length < Math.max(h.minPoints, h.patience + 1)) return null;
  let best = epochs[0]!;
  for (const p of epochs) if (p.value < best.value - h.minDelta) best = p;
  const last = epochs[epochs.length - 1]!;
  const since = epochs.filter((p) => p.epoch > best.epoch).length;
  if (since < h.patience) return null;
  return {
    rule: 'plateau',
    firstStep: best.step,
    evidence: {
      key: s.key,
      bestValue: best.value,
      bestEpoch: best.epoch,
      lastEpoch: last.epoch,
      lastValue: last.value,
      epochsWithoutImprovement: since,
      patience: h.patience,
      minDelta: h.minDelta,
    },
  };
}

/** overfitting: val loss rose ≥ overfitRise above its minimum for ≥ overfitEpochs epochs while train loss kept falling. */
export function overfitting(f: RunFacts, h: ResolvedHealth): Finding | null {
  const keys = f.losses.map((x) => x.key);
  const val = seriesOf(f, pickValLossKey(keys));
  const train = seriesOf(f, pickTrainLossKey(keys));
  if (!val || !train) return null;
  const v = perEpoch(val).filter((p) => Number.isFinite(p.value));
  const t = perEpoch(train).filter((p) => Number.isFinite(p.value));
  if (v.length < h.minPoints || t.length < h.minPoints) return null;
  let best = v[0]!;
  for (const p of v) if (p.value < best.value) best = p;
  const last = v[v.length - 1]!;
  const epochsAfter = v.filter((p) => p.epoch > best.epoch).length;
  const trainAtBest = t.filter((p) => p.epoch <= best.epoch).pop();
  const trainLast = t[t.length - 1]!;
  if (!trainAtBest || epochsAfter < h.overfitEpochs) return null;
  if (last.value < best.value * (1 + h.overfitRise) || trainLast.value >= trainAtBest.value) return null;
  return {
    rule: 'overfitting',
    firstStep: v.find((p) => p.epoch > best.epoch)?.step ?? best.step,
    evidence: {
      valKey: val.key,
      trainKey: train.key,
      valMin: best.value,
      valMinEpoch: best.epoch,
      valLast: last.value,
      trainAtValMin: trainAtBest.value,
      trainLast: trainLast.value,
      overfitRise: h.overfitRise,
      overfitEpochs: h.overfitEpochs,
    },
  };
}

export function duplicate(f: RunFacts): Finding | null {
  if (!f.duplicateOf.length) return null;
  return { rule: 'duplicate', firstStep: null, evidence: { duplicateOf: f.duplicateOf } };
}
