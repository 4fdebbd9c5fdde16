/** Serializable state of {@link EarlyStopping}, kept in checkpoints so `--resume` continues it. */
export interface EarlyStoppingState {
  best: number | null;
  bestEpoch: number | null;
  /** Epochs since the last improvement of more than minDelta. */
  wait: number;
}

export interface EarlyStoppingOptions {
  patience: number;
  minDelta: number;
  /** 'min' for losses, 'max' for scores. */
  mode: 'min' | 'max';
}

/** Keras-style early stopping: improvement means beating the best by more than minDelta. */
export class EarlyStopping {
  state: EarlyStoppingState;

  constructor(
    readonly options: EarlyStoppingOptions,
    state?: EarlyStoppingState,
  ) {
    this.state = state ?? { best: null, bestEpoch: null, wait: 0 };
  }

  /** Records the monitored value of `epoch`; returns whether it improved and whether to stop now. */
  update(epoch: number, value: number): { improved: boolean; stop: boolean } {
    const { best } = this.state;
    const sign = this.options.mode === 'min' ? -1 : 1;
    const improved =
      Number.isFinite(value) && (best === null || sign * (value - best) > this.options.minDelta);
    if (improved) this.state = { best: value, bestEpoch: epoch, wait: 0 };
    else this.state = { ...this.state, wait: this.state.wait + 1 };
    return { improved, stop: this.state.wait >= this.options.patience };
  }
}
