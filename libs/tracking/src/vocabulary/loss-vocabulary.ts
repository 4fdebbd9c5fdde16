/**
 * Loss figures under one name for old and new runs. A legacy TrainRun log reports them in its summary
 * (`final_train_loss`, …); the trainer logs metric series (`train_loss` per step, `epoch_train_loss` and `val_loss`
 * per epoch, `final_val_loss` and `best_epoch` at the end). Compare shows each figure as one row with both values.
 */
export interface LossTerm {
  /** The row's key in compare (the legacy summary field of the same meaning). */
  key: 'final_train_loss' | 'final_val_loss' | 'best_val_loss' | 'best_epoch' | 'final_test_loss';
  label: string;
  /** The field of a legacy run's summary. */
  legacy: string;
  /** A live run: the first of these metrics the run has, its last value or its minimum. */
  live: { metric: string; take: 'last' | 'min' }[];
}

export const LOSS_VOCABULARY: readonly LossTerm[] = [
  {
    key: 'final_train_loss',
    label: 'final train loss',
    legacy: 'final_train_loss',
    live: [
      { metric: 'epoch_train_loss', take: 'last' },
      { metric: 'train_loss', take: 'last' },
    ],
  },
  {
    key: 'final_val_loss',
    label: 'final validation loss',
    legacy: 'final_val_loss',
    live: [
      { metric: 'final_val_loss', take: 'last' },
      { metric: 'val_loss', take: 'last' },
    ],
  },
  {
    key: 'best_val_loss',
    label: 'best validation loss',
    legacy: 'best_val_loss',
    live: [{ metric: 'val_loss', take: 'min' }],
  },
  {
    key: 'best_epoch',
    label: 'best epoch',
    legacy: 'best_epoch',
    live: [{ metric: 'best_epoch', take: 'last' }],
  },
  {
    key: 'final_test_loss',
    label: 'test loss',
    legacy: 'final_test_loss',
    live: [{ metric: 'test_loss', take: 'last' }],
  },
];

/**
 * Per-epoch history arrays of legacy logs → the metric series they are imported as, so that old and new runs
 * share curves: `train_loss`, `val_loss` (the trainer's names) and `lr`. Legacy points have step = epoch
 * (1-based); compare them with the trainer's on the `epoch` axis.
 */
export const LEGACY_HISTORY_SERIES: Readonly<Record<string, 'train_loss' | 'val_loss' | 'lr'>> = {
  train_losses: 'train_loss',
  train_loss: 'train_loss',
  loss: 'train_loss',
  val_losses: 'val_loss',
  val_loss: 'val_loss',
  learning_rates: 'lr',
  lrs: 'lr',
  lr: 'lr',
  learning_rate: 'lr',
};

/** The metrics a run has, as compare's per-key summaries (last value and minimum). */
export interface MetricFigures {
  key: string;
  last: number | null;
  min: number | null;
}

/** One loss figure of a run through the vocabulary, with the field or metric it came from. */
export function lossFigure(
  term: LossTerm,
  run: {
    source: 'live' | 'legacy';
    summary: Record<string, unknown> | null;
    metrics: readonly MetricFigures[];
  },
): { value: number; from: string } | undefined {
  const fromSummary = run.summary?.[term.legacy];
  if (run.source === 'legacy' && typeof fromSummary === 'number')
    return { value: fromSummary, from: `summary.${term.legacy}` };
  for (const l of term.live) {
    const m = run.metrics.find((x) => x.key === l.metric);
    const v = m ? (l.take === 'last' ? m.last : m.min) : null;
    if (v !== null && v !== undefined) return { value: v, from: `${l.metric} (${l.take})` };
  }
  return undefined;
}
