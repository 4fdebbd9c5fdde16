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

/** Where the old trainer wrote its exports (as recorded in the real logs' `output_files`). */
const MODELS_DIR =
  '/Users/kelly-dev/Library/CloudStorage/OneDrive-Personal/JUCE 2/AUDIO_MIDI_DATA/kelly-audio-data/models';

/** Per-model fields of the seed's TrainConfig (as in the real logs of ../shared/fixtures/legacy-logs). */
const MODEL_FIELDS: Record<string, Record<string, unknown>> = {
  melodytransformer: {
    task: 'melody_generation',
    input_size: 64,
    output_size: 128,
    hidden_layers: [256, 256, 256],
    architecture_type: 'lstm',
    loss: 'cross_entropy',
  },
  groovepredictor: {
    task: 'groove_prediction',
    input_size: 64,
    output_size: 32,
    hidden_layers: [128, 64],
    architecture_type: 'lstm',
    loss: 'mse',
  },
  emotionrecognizer: {
    task: 'emotion_embedding',
    input_size: 128,
    output_size: 7,
    hidden_layers: [512, 256, 128],
    architecture_type: 'cnn',
    loss: 'cross_entropy',
  },
  emotionnodeclassifier: {
    task: 'emotion_node_classification',
    input_size: 128,
    output_size: 258,
    hidden_layers: [512, 384, 256],
    architecture_type: 'cnn_multi_head_hierarchical',
    loss: 'hierarchical_cross_entropy',
  },
};

/**
 * The whole TrainConfig, all 40 fields in the dataclass's order, as `asdict` writes it (every real log has
 * exactly these keys).
 */
function trainConfig(modelId: string, epochs: number): Record<string, unknown> {
  const m = MODEL_FIELDS[modelId] ?? MODEL_FIELDS.groovepredictor!;
  return {
    model_id: modelId,
    model_type: 'RTNeural',
    task: m.task,
    input_size: m.input_size,
    output_size: m.output_size,
    hidden_layers: m.hidden_layers,
    activation: 'relu',
    dropout: 0.2,
    architecture_type: m.architecture_type,
    data_path: '',
    data_version: 'v1',
    sample_rate: 16000,
    n_mels: 64,
    n_fft: 1024,
    hop_length: 256,
    max_duration: 5.0,
    train_split: 0.8,
    val_split: 0.1,
    test_split: 0.1,
    epochs,
    batch_size: 16,
    learning_rate: 0.001,
    weight_decay: 0.0001,
    optimizer: 'adam',
    loss: m.loss,
    scheduler: 'cosine',
    warmup_epochs: 5,
    early_stopping_patience: 15,
    min_delta: 0.001,
    device: 'auto',
    num_workers: 0,
    pin_memory: false,
    output_dir: '',
    export_onnx: true,
    export_coreml: true,
    log_interval: 10,
    save_interval: 5,
    author: '',
    notes: '',
    labels:
      modelId === 'emotionrecognizer'
        ? ['happy', 'sad', 'angry', 'fear', 'surprise', 'disgust', 'neutral']
        : [],
  };
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
    config: trainConfig(modelId, o.epochs ?? 30),
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
      o.outputFiles ?? (success ? ['json', 'onnx'].map((ext) => `${MODELS_DIR}/${modelId}.${ext}`) : []),
    success,
    error: o.error ?? '',
  });
}
