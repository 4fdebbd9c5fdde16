/**
 * One vocabulary for old and new runs: the legacy Python trainer's `TrainConfig` fields and the trainer's config
 * keys (apps/trainer `RunConfig`, flattened to dotted keys) name the same settings differently. Compare (CLI and
 * dashboard) shows a mapped setting as one row under the trainer's key, with each run's raw key kept beside it;
 * the run-health rules read configured epochs through the same table. Units are the same on both sides unless
 * `derive` says otherwise.
 */
export interface ConfigTerm {
  /** The trainer's dotted config key: the row's key in compare. */
  key: string;
  /** What it is, in words (shown in compare). */
  label: string;
  /** The legacy `TrainConfig` field (`config.<field>` of a TrainRun log). */
  legacy: string;
  /**
   * For settings the trainer does not store under one key: computes the value from a live run's flattened
   * config, returning the keys it read (shown as the run's raw keys). Absent = read `key` itself.
   */
  derive?: (flat: ReadonlyMap<string, unknown>) => { value: unknown; from: string[] } | undefined;
}

const num = (flat: ReadonlyMap<string, unknown>, k: string) => {
  const v = flat.get(k);
  return typeof v === 'number' ? v : undefined;
};

/**
 * Clip length in seconds from the trainer's `data.clipFrames` and feature front end: the shortest clip that yields
 * clipFrames frames with librosa's `center=True` framing, (clipFrames − 1) · hop / sampleRate (313 frames → 4.992 s
 * at 16 kHz, hop 256; the legacy `max_duration` is the clip length in seconds).
 */
function clipSeconds(flat: ReadonlyMap<string, unknown>) {
  const frames = num(flat, 'data.clipFrames');
  const hop = num(flat, 'features.hop');
  const sr = num(flat, 'features.sampleRate');
  if (frames === undefined || hop === undefined || !sr) return undefined;
  return {
    value: Math.round(((frames - 1) * hop * 1e6) / sr) / 1e6,
    from: ['data.clipFrames', 'features.hop', 'features.sampleRate'],
  };
}

/**
 * Layer sizes in order, like the legacy `hidden_layers`: `lstmUnits` repeated `lstmLayers` times (melody), else
 * every `modelConfig.*Units` / `*Filters` in key order (groove `lstm1Units, lstm2Units`; emotion `convFilters,
 * lstmUnits`).
 */
function layerSizes(flat: ReadonlyMap<string, unknown>) {
  const units = num(flat, 'modelConfig.lstmUnits');
  const layers = num(flat, 'modelConfig.lstmLayers');
  if (units !== undefined && layers !== undefined)
    return {
      value: Array.from({ length: layers }, () => units),
      from: ['modelConfig.lstmUnits', 'modelConfig.lstmLayers'],
    };
  const keys = [...flat.keys()]
    .filter((k) => /^modelConfig\.\w*(Units|Filters)$/.test(k) && typeof flat.get(k) === 'number')
    .sort();
  return keys.length ? { value: keys.map((k) => flat.get(k)), from: keys } : undefined;
}

/** The mapped settings, in the order compare lists them. */
export const CONFIG_VOCABULARY: readonly ConfigTerm[] = [
  { key: 'training.lr', label: 'learning rate', legacy: 'learning_rate' },
  { key: 'training.batchSize', label: 'batch size', legacy: 'batch_size' },
  { key: 'training.epochs', label: 'epochs', legacy: 'epochs' },
  { key: 'modelConfig.dropout', label: 'dropout', legacy: 'dropout' },
  { key: 'model.layerSizes', label: 'layer sizes', legacy: 'hidden_layers', derive: layerSizes },
  { key: 'features.sampleRate', label: 'sample rate (Hz)', legacy: 'sample_rate' },
  { key: 'features.nMels', label: 'mel bands', legacy: 'n_mels' },
  { key: 'features.nFft', label: 'FFT size', legacy: 'n_fft' },
  { key: 'features.hop', label: 'hop (samples)', legacy: 'hop_length' },
  { key: 'data.clipSeconds', label: 'clip length (s)', legacy: 'max_duration', derive: clipSeconds },
  {
    key: 'training.earlyStopping.patience',
    label: 'early-stopping patience',
    legacy: 'early_stopping_patience',
  },
  { key: 'training.earlyStopping.minDelta', label: 'min delta', legacy: 'min_delta' },
  { key: 'training.schedule.warmupEpochs', label: 'warm-up epochs', legacy: 'warmup_epochs' },
  { key: 'training.weightDecay', label: 'weight decay', legacy: 'weight_decay' },
  { key: 'training.optimizer', label: 'optimizer', legacy: 'optimizer' },
  { key: 'training.schedule.type', label: 'scheduler', legacy: 'scheduler' },
];

/** A run's config seen through the vocabulary: canonical key → value, and the raw key(s) each came from. */
export interface MappedConfig {
  values: Map<string, unknown>;
  /** Canonical key → the run's own key(s), for the mapped rows only. */
  rawKeys: Map<string, string>;
}

/**
 * Renames a run's flattened config into the vocabulary: a legacy run's `learning_rate` becomes `training.lr`
 * (raw key kept in `rawKeys`), a live run gains the derived rows (`model.layerSizes`, `data.clipSeconds`).
 * Keys outside the vocabulary are kept as they are.
 */
export function mapConfig(flat: ReadonlyMap<string, unknown>, source: 'live' | 'legacy'): MappedConfig {
  const values = new Map(flat);
  const rawKeys = new Map<string, string>();
  for (const term of CONFIG_VOCABULARY) {
    if (source === 'legacy') {
      if (!flat.has(term.legacy) || flat.has(term.key)) continue;
      values.delete(term.legacy);
      values.set(term.key, flat.get(term.legacy));
      rawKeys.set(term.key, term.legacy);
    } else if (term.derive && !flat.has(term.key)) {
      const d = term.derive(flat);
      if (!d) continue;
      values.set(term.key, d.value);
      rawKeys.set(term.key, d.from.join(' + '));
    } else if (flat.has(term.key)) rawKeys.set(term.key, term.key);
  }
  return { values, rawKeys };
}

/** The configured epochs through the vocabulary: `training.epochs`, or the legacy `epochs`. */
export function configuredEpochs(flat: ReadonlyMap<string, unknown>): number | undefined {
  const term = CONFIG_VOCABULARY.find((t) => t.key === 'training.epochs')!;
  for (const k of [term.key, term.legacy]) {
    const v = flat.get(k);
    if (typeof v === 'number' && v > 0) return v;
  }
  return undefined;
}
