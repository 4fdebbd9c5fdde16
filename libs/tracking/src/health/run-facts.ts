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

/** Per-epoch view: the last point of each epoch (or every point as its own epoch when epochs are missing). */
export function perEpoch(s: Series): { epoch: number; step: number; value: number }[] {
  const out: { epoch: number; step: number; value: number }[] = [];
  const hasEpochs = s.epochs.some((e) => e !== null);
  for (let i = 0; i < s.values.length; i++) {
    const epoch = hasEpochs ? s.epochs[i] : i;
    if (epoch === null || epoch === undefined) continue;
    const last = out[out.length - 1];
    if (last && last.epoch === epoch) {
      last.step = s.steps[i]!;
      last.value = s.values[i]!;
    } else out.push({ epoch, step: s.steps[i]!, value: s.values[i]! });
  }
  return out;
}
