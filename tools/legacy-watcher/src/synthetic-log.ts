/**
 * Synthetic legacy run logs in exactly the shape `TrainRun.save()` of the old Python trainer writes
 * (`json.dump(asdict(run), indent=2)`, bare NaN/Infinity, no trailing newline). For tests and the bench.
 */

export interface SyntheticLogOptions {
  modelId?: string;
  /** Start time as naive local ISO (default 2025-12-26T09:00:00.000001 + index seconds). */
  index?: number;
  success?: boolean;
  error?: string;
  finalTrainLoss?: number;
  finalValLoss?: number;
  bestValLoss?: number;
  bestEpoch?: number;
  durationS?: number;
  epochs?: number;
  outputFiles?: string[];
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `{model_id}_{YYYYMMDD_HHMMSS}` and the ISO start time for the `index`-th synthetic run. */
export function syntheticRunId(modelId: string, index: number): { runId: string; start: Date } {
  const start = new Date(Date.UTC(2025, 11, 26, 9, 0, 0) + index * 1000);
  const d = start;
  const stamp = `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}_${pad(d.getUTCHours())}${pad(
    d.getUTCMinutes(),
  )}${pad(d.getUTCSeconds())}`;
  return { runId: `${modelId}_${stamp}`, start };
}

/** Python-style JSON text: `indent=2`, non-finite numbers as bare `NaN` / `Infinity` / `-Infinity`. */
export function pythonJson(value: unknown): string {
  const tokens = new Map<string, string>();
  const text = JSON.stringify(
    value,
    (_k, v: unknown) => {
      if (typeof v === 'number' && !Number.isFinite(v)) {
        const token = `\u0000${String(v)}\u0000`;
        tokens.set(JSON.stringify(token), String(v));
        return token;
      }
      return v;
    },
    2,
  );
  let out = text;
  for (const [quoted, bare] of tokens) out = out.split(quoted).join(bare);
  return out;
}

/** One synthetic TrainRun log as text. Defaults: a healthy 30-epoch groovepredictor run. */
export function syntheticTrainRun(o: SyntheticLogOptions = {}): string {
  const modelId = o.modelId ?? 'groovepredictor';
  const { runId, start } = syntheticRunId(modelId, o.index ?? 0);
  const durationS = o.durationS ?? 120.5 + ((o.index ?? 0) % 17);
  const end = new Date(start.getTime() + durationS * 1000);
  const iso = (d: Date) =>
    d
      .toISOString()
      .replace('Z', '')
      .replace(/\.(\d{3})$/, '.$1123');
  const success = o.success ?? true;
  return pythonJson({
    run_id: runId,
    config: {
      model_id: modelId,
      model_type: 'RTNeural',
      task: 'groove_prediction',
      input_size: 2,
      output_size: 32,
      hidden_layers: [128, 64],
      activation: 'tanh',
      dropout: 0.2,
      architecture_type: 'lstm',
      data_path: '~/kelly-audio-data/processed/grooves',
      epochs: o.epochs ?? 30,
      batch_size: 8,
      learning_rate: 0.001,
      loss: 'mse',
      early_stopping_patience: 15,
      min_delta: 0.001,
      device: 'auto',
      notes: '',
      labels: [],
    },
    git_commit: 'unknown',
    hardware: 'Apple M4',
    start_time: iso(start),
    end_time: iso(end),
    duration_seconds: durationS,
    final_train_loss: o.finalTrainLoss ?? (success ? 0.0457 + (o.index ?? 0) * 1e-7 : 0),
    final_val_loss: o.finalValLoss ?? (success ? 0.0266 : 0),
    final_test_loss: 0.0347,
    best_epoch: o.bestEpoch ?? (success ? 12 : 0),
    best_val_loss: o.bestValLoss ?? (success ? 0.0258 : Infinity),
    output_files:
      o.outputFiles ?? (success ? [`/Users/kelly-dev/kelly-audio-data/models/${modelId}.json`] : []),
    success,
    error: o.error ?? '',
  });
}
