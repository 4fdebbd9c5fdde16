// What the old tools did to TrainRun logs, as functions over a parsed log: the variants the importer must accept.
// Used by the per-variant tests and the property-based fuzz test (both start from the real shared fixtures).

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const clone = <T>(v: T): T => structuredClone(v);

/** Python's `str()` of a float/bool, as `json.dump(..., default=str)` writes numpy values. */
export function pyStr(v: number | boolean): string {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  return Number.isInteger(v) ? String(v) : String(v);
}

const RUN_NUMBERS = [
  'duration_seconds',
  'final_train_loss',
  'final_val_loss',
  'final_test_loss',
  'best_epoch',
  'best_val_loss',
];
const CONFIG_NUMBERS = [
  'dropout',
  'learning_rate',
  'weight_decay',
  'min_delta',
  'max_duration',
  'epochs',
  'batch_size',
];

/** `default=str` of numpy values: run numbers, `success` and some config numbers/booleans as strings. */
export function numbersAsStrings(doc: Obj): Obj {
  const out = clone(doc);
  for (const k of RUN_NUMBERS) if (typeof out[k] === 'number') out[k] = pyStr(out[k]);
  if (typeof out.success === 'boolean') out.success = pyStr(out.success);
  if (isObj(out.config)) {
    for (const k of CONFIG_NUMBERS)
      if (typeof out.config[k] === 'number') out.config[k] = pyStr(out.config[k]);
    if (typeof out.config.pin_memory === 'boolean') out.config.pin_memory = pyStr(out.config.pin_memory);
  }
  return out;
}

/**
 * An earlier TrainRun version: `train_loss`/`val_loss`/`test_loss` for the `final_*` fields, `training_date` for
 * `start_time`, no `end_time`, `status` instead of `success`, no `error` key (a failure keeps its text only when
 * the log had one: `status: "failed"`).
 */
export function olderFieldNames(doc: Obj): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(doc)) {
    if (k === 'final_train_loss') out.train_loss = v;
    else if (k === 'final_val_loss') out.val_loss = v;
    else if (k === 'final_test_loss') out.test_loss = v;
    else if (k === 'start_time') out.training_date = v;
    else if (k === 'end_time' || k === 'error') continue;
    else if (k === 'success') {
      const error = typeof doc.error === 'string' ? doc.error.trim() : '';
      // (after numbersAsStrings, success may already be Python's "True"/"False")
      out.status = v === true || v === 'True' ? 'trained' : error ? 'failed' : 'interrupted';
    } else out[k] = clone(v);
  }
  return out;
}

/** Config flattened to the top level next to the run fields. */
export function flattenConfig(doc: Obj): Obj {
  const { config, ...rest } = clone(doc);
  return isObj(config) ? { ...rest, ...config } : rest;
}

export const configNull = (doc: Obj): Obj => ({ ...clone(doc), config: null });
export function configMissing(doc: Obj): Obj {
  const { config: _c, ...rest } = clone(doc);
  return rest;
}

/** `run_id` empty (`""`) or left out. */
export function noRunId(doc: Obj, how: 'empty' | 'missing' = 'empty'): Obj {
  const out = clone(doc);
  if (how === 'empty') out.run_id = '';
  else delete out.run_id;
  return out;
}

/** Extra keys an other tool added: model size, accuracy, device, torch version, tags (and one in config). */
export function extraKeys(doc: Obj): Obj {
  const out = clone(doc);
  out.n_params = 812_420;
  out.test_accuracy = 0.61;
  out.device = 'mps';
  out.torch_version = '2.5.1';
  out.tags = ['onedrive', 'm4'];
  if (isObj(out.config)) out.config.seed = 42;
  return out;
}

/** Per-epoch history arrays: `train_losses`/`val_losses` at the top level, or `history.{train_loss,val_loss,lr}`. */
export function withHistory(
  doc: Obj,
  train: number[],
  val: number[],
  style: 'lists' | 'history' = 'lists',
): Obj {
  const out = clone(doc);
  if (style === 'lists') {
    out.train_losses = train;
    out.val_losses = val;
  } else out.history = { train_loss: train, val_loss: val, lr: train.map((_, i) => 0.001 * 0.9 ** i) };
  return out;
}

/** Timestamps with `Z` or `+00:00` (the same instant as the naive time read as UTC), or without fractional seconds. */
export function timestamps(doc: Obj, how: 'Z' | '+00:00' | 'no-fraction'): Obj {
  const out = clone(doc);
  for (const k of ['start_time', 'end_time', 'training_date']) {
    const v = out[k];
    if (typeof v !== 'string') continue;
    out[k] = how === 'no-fraction' ? v.replace(/\.\d+$/, '') : `${v}${how}`;
  }
  return out;
}

/** Python `json.dump` text (bare NaN/Infinity), with `indent` spaces (0 = one line) and keys in `order`. */
export function pythonDump(
  value: unknown,
  indent = 2,
  order: 'as-is' | 'reversed' | 'sorted' = 'as-is',
): string {
  const pad = (d: number) => (indent ? `\n${' '.repeat(indent * d)}` : '');
  const sep = indent ? ': ' : ':';
  const walk = (v: unknown, d: number): string => {
    if (typeof v === 'number') {
      if (Number.isNaN(v)) return 'NaN';
      if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
      return JSON.stringify(v);
    }
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      return `[${v.map((x) => pad(d + 1) + walk(x, d + 1)).join(indent ? ',' : ', ')}${pad(d)}]`;
    }
    if (isObj(v)) {
      let keys = Object.keys(v);
      if (order === 'reversed') keys = keys.reverse();
      if (order === 'sorted') keys = keys.sort();
      if (keys.length === 0) return '{}';
      return `{${keys.map((k) => `${pad(d + 1)}${JSON.stringify(k)}${sep}${walk(v[k], d + 1)}`).join(indent ? ',' : ', ')}${pad(d)}}`;
    }
    return JSON.stringify(v);
  };
  return walk(value, 0);
}

/** A JavaScript re-save: `JSON.stringify` (NaN/±Infinity become null, 0.0 becomes 0). */
export const jsResave = (doc: Obj, indent = 2) => JSON.stringify(doc, null, indent);

export const withBom = (text: string) => `\ufeff${text}`;
export const withCrlf = (text: string) => text.replace(/\r?\n/g, '\r\n');
