import type { EpochHistory, NormalizedTrainRun } from './normalize-train-run';
import type { TrainRun } from './train-run-schema';

/** A legacy run as the store takes it. Statuses follow the old trainer's semantics (see `legacyStatus`). */
export interface LegacyRunRecord {
  /** The log's `run_id` (e.g. `melodytransformer_20251227_093355`). */
  id: string;
  /** The model id: `config.model_id`, else `run_id` without its `_YYYYMMDD_HHMMSS` suffix. */
  experiment: string;
  name: string;
  status: 'FINISHED' | 'FAILED' | 'KILLED';
  /**
   * Start/end exactly as written: naive local wall-clock time of the training machine, no offset
   * (`datetime.now().isoformat()`). The machine's time zone was never recorded, so it is not guessed.
   */
  startedAtLocal: string | null;
  endedAtLocal: string | null;
  /**
   * The same instants in epoch ms, reading the naive wall clock AS IF it were UTC. Only for ordering
   * and display (the displayed time then equals what the log says); not a true instant.
   */
  startedAtMs: number | null;
  endedAtMs: number | null;
  /** Seconds, from `duration_seconds` (more precise than end - start). */
  durationS: number | null;
  /** `null` when the log says `"unknown"`. */
  gitCommit: string | null;
  hardware: string | null;
  /** `str(exception)` of a failed run; null when the run succeeded or was interrupted. */
  error: { type: string; message: string } | null;
  /** The whole `TrainConfig`, nested, as recorded (unknown keys included). */
  config: Record<string, unknown>;
  /**
   * What the log reports about itself, under its own field names, NaN/±Infinity kept: final_train_loss,
   * final_val_loss, final_test_loss (from a reloaded checkpoint), best_val_loss, best_epoch (1-based,
   * 0 = never improved), epochs_configured (config.epochs after the trainer's clamping).
   */
  summary: Record<string, number>;
  /**
   * Metric points under the trainer's names (train_loss, val_loss, lr per epoch; test_loss, best_val_loss).
   * A log with per-epoch history arrays gives one point per epoch (step = epoch, 1-based) for train_loss,
   * val_loss and lr; without history, the final train/val losses are logged once at step 0. test_loss and
   * best_val_loss are logged once, at the last epoch (0 without history).
   * Values that are the trainer's untouched defaults on a run that did not succeed (0.0 losses,
   * `best_val_loss` Infinity) are left out: they were never measured. `null` history entries (not recorded)
   * are left out too.
   */
  metrics: { key: string; step: number; epoch?: number; value: number }[];
  /** `output_files` in export order; paths as recorded on the training machine (files not here). */
  artifacts: { kind: string; path: string }[];
  /** One sentence per coercion the reader applied (older field names, strings for numbers, derived run id…). */
  notes: string[];
  /** Keys of no TrainRun version, as written (`n_params`, `device`, `torch_version`, …). */
  extras: Record<string, unknown>;
  /** A `tags` list the log carried (strings only). */
  tags: string[];
}

const RUN_ID = /^(.+)_(\d{8})_(\d{6})$/;

/** Model id from a run id, split from the right: `emotion_recognizer_20251226_094410` → `emotion_recognizer`. */
export function experimentFromRunId(runId: string): string | null {
  return RUN_ID.exec(runId)?.[1] ?? null;
}

/**
 * success → FINISHED; success false with error text → FAILED; success false with an empty error → KILLED
 * (the old trainer did not catch KeyboardInterrupt, so Ctrl-C left `error: ""`).
 */
export function legacyStatus(run: Pick<TrainRun, 'success' | 'error'>): LegacyRunRecord['status'] {
  if (run.success) return 'FINISHED';
  return (run.error ?? '').trim() === '' ? 'KILLED' : 'FAILED';
}

/**
 * Reads an ISO time: a naive local time (no offset) as if UTC; one with `Z` or `±hh:mm`/`±hhmm` as the instant
 * it names. Fractional seconds optional. Null when it is not a date.
 */
export function naiveLocalToMs(text: string | undefined): number | null {
  if (!text) return null;
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})?$/i.exec(
    text.trim(),
  );
  if (!m) return null;
  const zone = !m[4] || m[4].toUpperCase() === 'Z' ? 'Z' : m[4].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(`${m[1]}T${m[2]}${(m[3] ?? '').slice(0, 4)}${zone}`);
  return Number.isNaN(ms) ? null : ms;
}

function artifactKind(path: string): string {
  const lower = path.toLowerCase();
  if (lower.endsWith('.json')) return 'rtneural-json';
  if (lower.endsWith('.onnx')) return 'onnx';
  if (lower.endsWith('.mlpackage') || lower.endsWith('.mlmodel')) return 'coreml';
  if (lower.endsWith('.pt') || lower.endsWith('.pth')) return 'pytorch';
  return 'file';
}

/** Maps a validated `TrainRun` log (with what `normalizeTrainRun` read beside it) to the record the store imports. Pure. */
export function trainRunToRecord(
  run: TrainRun,
  read: Partial<Omit<NormalizedTrainRun, 'run'>> = {},
): LegacyRunRecord {
  const history: EpochHistory = read.history ?? {};
  const epochs = Math.max(0, ...Object.values(history).map((h) => h.length));
  const status = legacyStatus(run);
  const modelId = typeof run.config.model_id === 'string' ? run.config.model_id.trim() : undefined;
  const experiment =
    (modelId || experimentFromRunId(run.run_id) || run.run_id).trim().toLowerCase() || 'unknown';
  const summary: Record<string, number> = {};
  const metrics: LegacyRunRecord['metrics'] = [];
  const measured = (v: number, unfilledDefault: number) => run.success || !Object.is(v, unfilledDefault);
  const add = (field: keyof TrainRun, key: string, unfilledDefault: number) => {
    const value = run[field];
    if (typeof value !== 'number') return;
    summary[field] = value;
    if (history[key as keyof EpochHistory]) return; // the per-epoch series carries it
    if (measured(value, unfilledDefault))
      metrics.push({ key, step: epochs, ...(epochs ? { epoch: epochs } : {}), value });
  };
  for (const [key, values] of Object.entries(history))
    values.forEach((value, i) => {
      if (value !== null) metrics.push({ key, step: i + 1, epoch: i + 1, value });
    });
  add('final_train_loss', 'train_loss', 0);
  add('final_val_loss', 'val_loss', 0);
  add('final_test_loss', 'test_loss', 0);
  add('best_val_loss', 'best_val_loss', Infinity);
  if (run.best_epoch !== undefined) summary.best_epoch = run.best_epoch;
  if (typeof run.config.epochs === 'number') summary.epochs_configured = run.config.epochs;
  const commit = run.git_commit?.trim();
  return {
    id: run.run_id,
    experiment,
    name: run.run_id,
    status,
    startedAtLocal: run.start_time ?? null,
    endedAtLocal: run.end_time ?? null,
    startedAtMs: naiveLocalToMs(run.start_time),
    endedAtMs: naiveLocalToMs(run.end_time),
    durationS: run.duration_seconds ?? null,
    gitCommit: commit && commit !== 'unknown' ? commit : null,
    hardware: run.hardware?.trim() || null,
    error: status === 'FAILED' ? { type: errorType(run.error ?? ''), message: run.error ?? '' } : null,
    config: run.config,
    summary,
    metrics,
    artifacts: (run.output_files ?? []).map((path) => ({ kind: artifactKind(path), path })),
    notes: read.notes ?? [],
    extras: read.extras ?? {},
    tags: Array.isArray(read.extras?.tags)
      ? read.extras.tags.filter((t): t is string => typeof t === 'string' && t.trim() !== '')
      : [],
  };
}

/** The old trainer wrote only `str(exception)`; recognise the common Python error shapes for the type. */
function errorType(message: string): string {
  if (/^\[Errno \d+\]/.test(message)) return 'OSError';
  if (/^Expecting |^Extra data|^Unterminated string/.test(message)) return 'JSONDecodeError';
  if (/shapes cannot be multiplied|out of memory/i.test(message)) return 'RuntimeError';
  return 'Exception';
}
