import type { JsonObject } from '../db/schema';
import { epochsFromConfig, pickTrainLossKey, pickValLossKey, summaryFinalTrainLoss } from './loss-keys';
import { perEpoch, type Finding, type RunFacts } from './run-facts';

/** Summary values that record an early stop (`stop_reason` / `stopReason`, or `early_stopped: true`). */
const EARLY_STOP_REASONS = new Set(['early-stopped', 'early_stopped', 'early-stopping', 'early_stopping']);
const PATIENCE_NAMES = new Set(['patience', 'early_stopping_patience', 'earlystopping.patience']);
const MIN_DELTA_NAMES = new Set(['min_delta', 'mindelta', 'earlystopping.mindelta']);

/** Last one or two dotted segments, lower-cased (`training.earlyStopping.patience` → `earlystopping.patience`). */
function tails(key: string): string[] {
  const parts = key.toLowerCase().split('.');
  return [parts.slice(-1).join('.'), parts.slice(-2).join('.')];
}

function configNumber(flat: Map<string, unknown>, names: Set<string>): number | undefined {
  for (const [k, v] of flat)
    if (typeof v === 'number' && Number.isFinite(v) && tails(k).some((t) => names.has(t))) return v;
  return undefined;
}

const num = (s: JsonObject | null, k: string) => (typeof s?.[k] === 'number' ? s[k] : undefined);

/** Epochs the run finished: `summary.epochs_completed`, else the distinct epochs of its loss series. */
function completedEpochs(f: RunFacts): number | undefined {
  const recorded = num(f.summary, 'epochs_completed') ?? num(f.summary, 'epochs');
  if (recorded !== undefined) return recorded;
  let most: number | undefined;
  for (const s of f.losses) {
    const epochs = new Set(s.epochs.filter((e): e is number => e !== null));
    if (epochs.size) most = Math.max(most ?? 0, epochs.size);
  }
  return most;
}

/**
 * The early-stopping reason, if the run has one: recorded in its summary, or shown by its own validation loss
 * (the last `patience` epochs, from its config, without an improvement above its `min_delta`).
 */
function earlyStopReason(f: RunFacts): JsonObject | null {
  const s = f.summary;
  const recorded = s?.stop_reason ?? s?.stopReason;
  if ((typeof recorded === 'string' && EARLY_STOP_REASONS.has(recorded)) || s?.early_stopped === true)
    return { recorded: typeof recorded === 'string' ? recorded : 'early_stopped' };
  const patience = configNumber(f.flatConfig, PATIENCE_NAMES);
  const key = pickValLossKey(f.losses.map((x) => x.key));
  const series = f.losses.find((x) => x.key === key);
  if (patience === undefined || !series) return null;
  const minDelta = configNumber(f.flatConfig, MIN_DELTA_NAMES) ?? 0;
  const epochs = perEpoch(series);
  let best = Infinity;
  let wait = 0;
  for (const e of epochs) {
    if (e.value < best - minDelta || best === Infinity) {
      best = e.value;
      wait = 0;
    } else wait++;
  }
  return epochs.length && wait >= patience
    ? { key: series.key, epochsWithoutImprovement: wait, patience, minDelta }
    : null;
}

/** The final training loss: the last epoch mean of the training-loss series, else the summary's. */
function finalTrainLoss(f: RunFacts): number | undefined {
  const s = f.losses.find((x) => x.key === pickTrainLossKey(f.losses.map((k) => k.key)));
  if (s?.values.length) {
    const last = s.values[s.values.length - 1]!;
    if (Number.isNaN(last)) return last;
    const groups = perEpoch(s);
    if (groups.length) return groups[groups.length - 1]!.value;
  }
  return summaryFinalTrainLoss(f.summary);
}

/**
 * too_short judges the work, not the clock: a run claiming success is too short when it finished fewer epochs
 * than its own config asked for, without an early-stopping reason, or with a zero/NaN final loss; or when its
 * summary still holds the legacy trainer's unfilled defaults (final loss 0 and best_epoch 0: no epoch ran).
 * A complete run is never too short, however fast.
 */
export function tooShort(f: RunFacts): Finding | null {
  if (f.status !== 'FINISHED') return null;
  const configuredEpochs = num(f.summary, 'epochs_configured') ?? epochsFromConfig(f.flatConfig);
  const completed = completedEpochs(f);
  const finalLoss = finalTrainLoss(f);
  const degenerate = finalLoss !== undefined && (finalLoss === 0 || Number.isNaN(finalLoss));
  const evidence = (reason: string, early: JsonObject | null): Finding => ({
    rule: 'too_short',
    firstStep: null,
    evidence: {
      reason,
      configuredEpochs: configuredEpochs ?? null,
      completedEpochs: completed ?? null,
      finalTrainLoss:
        finalLoss === undefined || Number.isNaN(finalLoss) ? String(finalLoss ?? null) : finalLoss,
      earlyStop: early,
      durationS: f.durationS,
    },
  });
  if (configuredEpochs !== undefined && completed !== undefined && completed < configuredEpochs) {
    const early = earlyStopReason(f);
    if (!early)
      return evidence(
        `stopped after ${completed} of ${configuredEpochs} configured epochs without an early-stopping reason`,
        null,
      );
    if (degenerate)
      return evidence(
        `stopped early after ${completed} of ${configuredEpochs} epochs with a final loss of ${finalLoss}`,
        early,
      );
    return null;
  }
  if (completed === undefined && finalLoss === 0 && num(f.summary, 'best_epoch') === 0)
    return evidence(
      'no epoch finished: the summary holds the unfilled defaults (final loss 0, best_epoch 0)',
      null,
    );
  return null;
}
