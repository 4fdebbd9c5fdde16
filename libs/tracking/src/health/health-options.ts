/**
 * Thresholds of the run-health rules (too_short has none: it compares a run's work with its own config). Every field is optional; `DEFAULT_HEALTH` holds the defaults.
 * Pass them as `openTracker({ health })` or to `recheckAnomalies(tracker, { health })`.
 */
export interface HealthOptions {
  /** chance_level: number of classes when the config names none (`num_classes`, `n_classes`, `output_size`, ...). */
  numClasses?: number;
  /** chance_level: |loss − ln(classes)| within this fraction of ln(classes) counts as chance (default 0.05). */
  chanceTolerance?: number;
  /** diverging: final loss above this multiple of the run's best loss (default 2). */
  divergeFactor?: number;
  /** plateau: epochs without an improvement above minDelta (default 10). */
  patience?: number;
  /** plateau: smallest change counted as an improvement (default 1e-4). */
  minDelta?: number;
  /** overfitting: val loss risen by this fraction above its minimum (default 0.1) ... */
  overfitRise?: number;
  /** overfitting: ... at least this many epochs after the minimum, while train loss kept falling (default 3). */
  overfitEpochs?: number;
  /** diverging/plateau/overfitting need at least this many points (default 5). */
  minPoints?: number;
}

export const DEFAULT_HEALTH: Required<Omit<HealthOptions, 'numClasses'>> & {
  numClasses: number | undefined;
} = {
  numClasses: undefined,
  chanceTolerance: 0.05,
  divergeFactor: 2,
  patience: 10,
  minDelta: 1e-4,
  overfitRise: 0.1,
  overfitEpochs: 3,
  minPoints: 5,
};

export type ResolvedHealth = typeof DEFAULT_HEALTH;

export function resolveHealth(o: HealthOptions = {}): ResolvedHealth {
  const out = { ...DEFAULT_HEALTH };
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

/** The rules, in order; severity `error` for the first six, `warning` for the rest. */
export const RULES = [
  'zero_loss',
  'nan_loss',
  'inf_loss',
  'too_short',
  'failed_with_error',
  'no_metrics',
  'chance_level',
  'diverging',
  'plateau',
  'overfitting',
  'duplicate',
] as const;
export type RuleName = (typeof RULES)[number];

export function severityOf(rule: RuleName): 'error' | 'warning' {
  return RULES.indexOf(rule) < 6 ? 'error' : 'warning';
}
