import { classesFromConfig, pickTrainLossKey, pickValLossKey, summaryFinalTrainLoss } from './loss-keys';
import type { ResolvedHealth } from './health-options';
import { perEpoch, type Finding, type RunFacts } from './run-facts';

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
    const groups = perEpoch(s);
    if (groups.length === 0) return null;
    const finalLoss = groups[groups.length - 1]!.value;
    const minLoss = groups.reduce((a, g) => (g.value < a ? g.value : a), Infinity);
    if (Math.abs(finalLoss - chance) <= tol && minLoss >= chance - tol) {
      const first = groups.find((g) => Math.abs(g.value - chance) <= tol);
      return {
        rule: 'chance_level',
        firstStep: first?.step ?? null,
        evidence: { ...base, key: s.key, finalLoss, minLoss, epochs: groups.length },
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
  const groups = perEpoch(s);
  if (groups.length < h.minPoints) return null;
  let best = groups[0]!;
  for (const g of groups) if (g.value < best.value) best = g;
  const first = groups[0]!;
  const last = groups[groups.length - 1]!;
  if (last.value > Math.max(best.value * h.divergeFactor, best.value + 1e-12) && last.value > first.value) {
    const from = groups.find((g) => g.epoch > best.epoch && g.value > best.value * h.divergeFactor) ?? last;
    return {
      rule: 'diverging',
      firstStep: from.step,
      evidence: {
        key: s.key,
        firstLoss: first.value,
        minLoss: best.value,
        minStep: best.step,
        finalLoss: last.value,
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
  const v = perEpoch(val);
  const t = perEpoch(train);
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
