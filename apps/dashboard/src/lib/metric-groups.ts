/**
 * Places a run's metrics by meaning (name patterns, so new metrics fall into sensible groups): loss, task
 * metrics (train vs validation), optimisation, speed, RTNeural, other; values logged once go to a table.
 */

export type GroupId = 'loss' | 'task' | 'optimisation' | 'speed' | 'rtneural' | 'other';

export interface ChartSpec {
  /** Stable id, e.g. `loss`, `task:f1`, `speed:samples_per_s`. */
  id: string;
  title: string;
  /** Metric keys drawn together (e.g. train_f1 and val_f1). */
  keys: string[];
  /** Mark the best epoch's step on it. */
  markBest: boolean;
}

export interface MetricGroup {
  id: GroupId;
  title: string;
  charts: ChartSpec[];
}

export interface GroupedMetrics {
  groups: MetricGroup[];
  /** Keys with a single point (finals, baselines, verdicts): a table, never a chart. */
  singles: string[];
  /** Every key with more than one point, alphabetically ("all metrics"). */
  all: string[];
}

export const GROUP_TITLES: Record<GroupId, string> = {
  loss: 'Loss',
  task: 'Task metrics',
  optimisation: 'Optimisation',
  speed: 'Speed',
  rtneural: 'RTNeural',
  other: 'Other',
};

/** Task metrics that lead their group, per experiment (others follow alphabetically). */
const PRIMARY: Record<string, string[]> = {
  melodytransformer: ['f1', 'note_f1', 'note_onset_f1', 'precision', 'recall'],
  groovepredictor: ['mae_ms'],
  emotionrecognizer: ['accuracy', 'macro_f1', 'frame_accuracy'],
  emotionnodeclassifier: ['coarse_accuracy', 'mid_accuracy', 'node_accuracy'],
};
const ANY_PRIMARY = ['f1', 'accuracy', 'mae_ms', 'coarse_accuracy', 'macro_f1', 'mae'];

const isLoss = (k: string) => /(^|_|\/|\.)loss$/.test(k);
const VAL = /^(val|valid|validation|eval)_/;
const TRAIN = /^(epoch_)?train_/;
const OPTIM = /(^|_)(lr|learning_rate)$|grad(ient)?_norm|weight_norm|clip|momentum|^epoch_lr$/;
const SPEED = /per_s$|_per_sec$|(_|^)time_s$|_seconds$|throughput|(_|^)ms$/;
/** Speed even with a split prefix (`train_time_s`); `val_mae_ms` is a task metric in ms, not a speed. */
const SPLIT_SPEED = /per_s$|_per_sec$|time_s$|_seconds$|throughput/;

/** The task metric a split-prefixed key measures: `val_f1` → `f1`, `epoch_train_f1` → `f1`; null if none. */
export function taskMetricOf(key: string): string | null {
  if (VAL.test(key)) return key.replace(VAL, '');
  if (TRAIN.test(key)) return key.replace(TRAIN, '');
  return null;
}

/** The primary task metric of an experiment among `keys` (e.g. `f1` for melody), or null. */
export function primaryTaskMetric(experiment: string, keys: readonly string[]): string | null {
  const names = new Set(keys.map(taskMetricOf).filter((m): m is string => m !== null && !isLoss(m)));
  return (
    [...(PRIMARY[experiment] ?? []), ...ANY_PRIMARY].find((m) => names.has(m)) ?? [...names].sort()[0] ?? null
  );
}

/** The primary loss key: validation loss where it exists, else a training loss, else the first loss. */
export function primaryLossKey(keys: readonly string[]): string | null {
  return (
    keys.find((k) => k === 'val_loss') ??
    keys.find((k) => VAL.test(k) && isLoss(k)) ??
    keys.find((k) => k === 'train_loss' || k === 'loss') ??
    keys.find(isLoss) ??
    null
  );
}

const lossOrder = (k: string) =>
  k === 'train_loss' || k === 'loss' ? 0 : TRAIN.test(k) ? 1 : VAL.test(k) ? 2 : 3;

/**
 * Groups metrics. `counts` = points per key (a key with ≤ 1 point is a single value). Final/baseline keys
 * (`final_*`, `baseline_*`, `beats_*`) are single values even if logged more than once.
 */
export function groupMetrics(experiment: string, counts: ReadonlyMap<string, number>): GroupedMetrics {
  const keys = [...counts.keys()].sort();
  const singles = keys.filter((k) => (counts.get(k) ?? 0) <= 1 || /^(final_|baseline_|beats_)/.test(k));
  const series = keys.filter((k) => !singles.includes(k));
  const placed = new Set<string>();
  const charts: Record<GroupId, ChartSpec[]> = {
    loss: [],
    task: [],
    optimisation: [],
    speed: [],
    rtneural: [],
    other: [],
  };

  // Loss: every plain loss on one chart (train, epoch mean, validation); sub-losses (`val_onset_loss`) paired by name.
  const losses = series.filter(isLoss);
  const byName = new Map<string, string[]>();
  for (const k of losses) {
    const name = k.replace(VAL, '').replace(TRAIN, '');
    const group = name === 'loss' ? 'loss' : name;
    byName.set(group, [...(byName.get(group) ?? []), k]);
  }
  for (const [name, ks] of [...byName].sort(([a], [b]) =>
    a === 'loss' ? -1 : b === 'loss' ? 1 : a.localeCompare(b),
  )) {
    charts.loss.push({
      id: name === 'loss' ? 'loss' : `loss:${name}`,
      title: name,
      keys: ks.sort((a, b) => lossOrder(a) - lossOrder(b)),
      markBest: true,
    });
    ks.forEach((k) => placed.add(k));
  }

  // Task metrics: train_X and val_X on one chart per X, primary first.
  const metrics = new Map<string, string[]>();
  for (const k of series) {
    if (placed.has(k)) continue;
    const m = taskMetricOf(k);
    if (m === null || OPTIM.test(k) || SPLIT_SPEED.test(k)) continue;
    metrics.set(m, [...(metrics.get(m) ?? []), k]);
  }
  const priority = [...(PRIMARY[experiment] ?? []), ...ANY_PRIMARY];
  const rank = (m: string) => (priority.includes(m) ? priority.indexOf(m) : priority.length);
  for (const [m, ks] of [...metrics].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))) {
    charts.task.push({
      id: `task:${m}`,
      title: m,
      keys: ks.sort((a, b) => lossOrder(a) - lossOrder(b)),
      markBest: true,
    });
    ks.forEach((k) => placed.add(k));
  }

  for (const k of series) {
    if (placed.has(k) || k === 'best_epoch') continue;
    const id: GroupId = /^rtneural/.test(k)
      ? 'rtneural'
      : OPTIM.test(k)
        ? 'optimisation'
        : SPEED.test(k)
          ? 'speed'
          : 'other';
    charts[id].push({ id: `${id}:${k}`, title: k, keys: [k], markBest: false });
  }
  // Learning rate per step and per epoch on one chart.
  const lr = charts.optimisation.filter((c) => c.title === 'lr' || c.title === 'epoch_lr');
  if (lr.length === 2)
    charts.optimisation = [
      { id: 'optimisation:lr', title: 'learning rate', keys: ['lr', 'epoch_lr'], markBest: false },
      ...charts.optimisation.filter((c) => !lr.includes(c)),
    ];

  const order: GroupId[] = ['loss', 'task', 'optimisation', 'speed', 'rtneural', 'other'];
  return {
    groups: order
      .filter((g) => charts[g].length > 0)
      .map((g) => ({ id: g, title: GROUP_TITLES[g], charts: charts[g] })),
    singles,
    all: series,
  };
}
