import { isSummaryLossField, summaryFinalTrainLoss } from './loss-keys';
import type { Finding, RunFacts } from './run-facts';

/** First point of any loss series matching `test`, with the count of such points per key. */
function firstMatching(f: RunFacts, test: (v: number) => boolean) {
  let first: { key: string; step: number; value: number } | undefined;
  const counts: Record<string, number> = {};
  for (const s of f.losses)
    for (let i = 0; i < s.values.length; i++) {
      const v = s.values[i]!;
      if (!test(v)) continue;
      counts[s.key] = (counts[s.key] ?? 0) + 1;
      if (!first || s.steps[i]! < first.step) first = { key: s.key, step: s.steps[i]!, value: v };
    }
  return first ? { ...first, counts } : undefined;
}

function summaryMatching(f: RunFacts, test: (v: number) => boolean): Record<string, number> | undefined {
  if (!f.summary) return undefined;
  const hits = Object.entries(f.summary).filter(
    ([k, v]) => isSummaryLossField(k) && typeof v === 'number' && test(v),
  );
  return hits.length ? (Object.fromEntries(hits) as Record<string, number>) : undefined;
}

const claimsSuccess = (f: RunFacts) => f.status === 'FINISHED';

export function zeroLoss(f: RunFacts): Finding | null {
  const hit = firstMatching(f, (v) => v === 0);
  if (hit)
    return {
      rule: 'zero_loss',
      firstStep: hit.step,
      evidence: { key: hit.key, step: hit.step, value: 0, pointsAtZero: hit.counts },
    };
  const final = summaryFinalTrainLoss(f.summary);
  if (final === 0 && claimsSuccess(f))
    return {
      rule: 'zero_loss',
      firstStep: null,
      evidence: { summary: summaryMatching(f, (v) => v === 0) ?? { final: 0 }, status: f.status },
    };
  return null;
}

function nonFinite(f: RunFacts, rule: 'nan_loss' | 'inf_loss', test: (v: number) => boolean): Finding | null {
  const hit = firstMatching(f, test);
  if (hit)
    return {
      rule,
      firstStep: hit.step,
      evidence: { key: hit.key, step: hit.step, value: hit.value, points: hit.counts },
    };
  const s = summaryMatching(f, test);
  if (s) return { rule, firstStep: null, evidence: { summary: s } };
  return null;
}

export const nanLoss = (f: RunFacts) => nonFinite(f, 'nan_loss', Number.isNaN);
export const infLoss = (f: RunFacts) => nonFinite(f, 'inf_loss', (v) => v === Infinity || v === -Infinity);

export function failedWithError(f: RunFacts): Finding | null {
  const hasError = f.errorType !== null || f.errorMessage !== null;
  if (f.status === 'FAILED' || (f.status === 'FINISHED' && hasError))
    return {
      rule: 'failed_with_error',
      firstStep: null,
      evidence: { status: f.status, errorType: f.errorType, errorMessage: f.errorMessage },
    };
  return null;
}

export function noMetrics(f: RunFacts): Finding | null {
  if (f.status !== 'FINISHED' || f.metricCount > 0) return null;
  if (f.summary && Object.entries(f.summary).some(([k, v]) => isSummaryLossField(k) && typeof v === 'number'))
    return null;
  return { rule: 'no_metrics', firstStep: null, evidence: { status: f.status, metricPoints: 0 } };
}
