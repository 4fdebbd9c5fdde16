import { configuredEpochs } from '../vocabulary/config-vocabulary';
import { LOSS_VOCABULARY } from '../vocabulary/loss-vocabulary';

/**
 * Which metric keys are losses: `loss`, and keys ending in `_loss`, `/loss` or `.loss`
 * (`train_loss`, `val_loss`, `val/loss`). Validation losses start with `val`, `valid`, `validation`,
 * `eval` or `test`; every other loss key is a training loss.
 */
export function isLossKey(key: string): boolean {
  const k = key.toLowerCase();
  return k === 'loss' || /[_./]loss$/.test(k);
}

export function isValLossKey(key: string): boolean {
  return isLossKey(key) && /^(val|valid|validation|eval|test)([_./]|$)/.test(key.toLowerCase());
}

export function isTrainLossKey(key: string): boolean {
  return isLossKey(key) && !isValLossKey(key);
}

/** The preferred training-loss key among `keys`: `loss`, then `train_loss`, then any other training loss. */
export function pickTrainLossKey(keys: Iterable<string>): string | undefined {
  const train = [...keys].filter(isTrainLossKey);
  return train.find((k) => k === 'loss') ?? train.find((k) => k === 'train_loss') ?? train.sort()[0];
}

export function pickValLossKey(keys: Iterable<string>): string | undefined {
  const val = [...keys].filter(isValLossKey);
  return val.find((k) => k === 'val_loss') ?? val.sort()[0];
}

/** Legacy summaries: a loss-like field (`final_loss`, `best_val_loss`, `train_loss`, `loss`). */
export function isSummaryLossField(field: string): boolean {
  return /loss/i.test(field);
}

const FINAL_TRAIN_FIELD = LOSS_VOCABULARY.find((t) => t.key === 'final_train_loss')!.legacy;

/** The final training loss a legacy summary reports, if any (the vocabulary's field first, then other spellings). */
export function summaryFinalTrainLoss(summary: Record<string, unknown> | null): number | undefined {
  if (!summary) return undefined;
  for (const f of [FINAL_TRAIN_FIELD, 'final_loss', 'train_loss', 'loss', 'finalLoss', 'finalTrainLoss']) {
    const v = summary[f];
    if (typeof v === 'number') return v;
  }
  return undefined;
}

const CLASS_NAMES = [
  'num_classes',
  'n_classes',
  'numclasses',
  'nclasses',
  'num_labels',
  'output_size',
  'outputsize',
  'num_emotions',
];
const EPOCH_NAMES = new Set(['epochs', 'num_epochs', 'n_epochs', 'max_epochs']);

/** Lower-cased last segment of a dotted key. */
const leafOf = (k: string) => k.slice(k.lastIndexOf('.') + 1).toLowerCase();

/**
 * Number of classes named in a (flattened) config: num_classes, n_classes, output_size, num_labels, ... (the
 * first name in that order wins; among keys with the same name, the first in config order).
 */
export function classesFromConfig(flat: Map<string, unknown>): { key: string; value: number } | undefined {
  let best: { key: string; value: number; rank: number } | undefined;
  for (const [k, v] of flat) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 2) continue;
    const rank = CLASS_NAMES.indexOf(leafOf(k));
    if (rank >= 0 && (!best || rank < best.rank)) best = { key: k, value: v, rank };
  }
  return best && { key: best.key, value: best.value };
}

/**
 * Configured epochs: the vocabulary's `training.epochs` / legacy `epochs` first, then `epochs`, `num_epochs`,
 * `n_epochs`, `max_epochs` at any depth.
 */
export function epochsFromConfig(flat: Map<string, unknown>): number | undefined {
  const mapped = configuredEpochs(flat);
  if (mapped !== undefined) return mapped;
  for (const [k, v] of flat) if (typeof v === 'number' && v > 0 && EPOCH_NAMES.has(leafOf(k))) return v;
  return undefined;
}
