import type { JsonObject, RunSource, RunStatus } from '../db/schema';
import type { RuleName } from './health-options';

/** One metric key's points at full resolution, ordered by step. */
export interface Series {
  key: string;
  steps: number[];
  epochs: (number | null)[];
  values: number[];
}

/** What the rules look at for one run. */
export interface RunFacts {
  id: string;
  status: RunStatus;
  source: RunSource;
  durationS: number | null;
  errorType: string | null;
  errorMessage: string | null;
  /** Config flattened to dotted keys → parsed leaf values. */
  flatConfig: Map<string, unknown>;
  summary: JsonObject | null;
  /** Number of metric points of any key. */
  metricCount: number;
  /** Every loss key's series. */
  losses: Series[];
  /** Runs with the same content hash that came first (earlier start, then smaller id). */
  duplicateOf: string[];
}

export interface Finding {
  rule: RuleName;
  /** Step where the problem first shows, when there is one. */
  firstStep: number | null;
  evidence: JsonObject;
}

/** Without epoch numbers, points are averaged in consecutive windows so that at most this many groups remain. */
export const MAX_PSEUDO_EPOCHS = 200;

/**
 * Per-epoch view: the mean of the finite values of each epoch (`step` = its first step, so a finding points at
 * where the epoch began), which smooths batch-level noise; one-point-per-epoch series are unchanged. Without
 * epoch numbers, windows of ceil(n / MAX_PSEUDO_EPOCHS) consecutive points stand in for epochs.
 * Epochs with only non-finite values are skipped.
 */
export function perEpoch(s: Series): { epoch: number; step: number; value: number }[] {
  const out: { epoch: number; step: number; value: number; sum: number; n: number }[] = [];
  const hasEpochs = s.epochs.some((e) => e !== null);
  const window = Math.max(1, Math.ceil(s.values.length / MAX_PSEUDO_EPOCHS));
  for (let i = 0; i < s.values.length; i++) {
    const epoch = hasEpochs ? s.epochs[i] : Math.floor(i / window);
    const v = s.values[i]!;
    if (epoch === null || epoch === undefined || !Number.isFinite(v)) continue;
    const last = out[out.length - 1];
    if (last && last.epoch === epoch) {
      last.sum += v;
      last.n++;
    } else out.push({ epoch, step: s.steps[i]!, value: 0, sum: v, n: 1 });
  }
  return out.map((g) => ({ epoch: g.epoch, step: g.step, value: g.sum / g.n }));
}
