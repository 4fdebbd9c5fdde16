import { basename } from 'node:path';
import { readBoolean, readNumber, readNumberArray, readString, showValue } from './legacy-values';
import type { TrainRun } from './train-run-schema';
import {
  BOOLEAN_CONFIG_FIELDS,
  HISTORY_FIELDS,
  NUMERIC_CONFIG_FIELDS,
  NUMERIC_RUN_FIELDS,
  OLD_FIELD_NAMES,
  STATUS_WORDS,
  STRING_RUN_FIELDS,
  TRAIN_CONFIG_FIELDS,
} from './train-run-variants';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Per-epoch series a log carried (`train_losses`, `history.val_loss`, ...), under the trainer's metric names. */
export type EpochHistory = Partial<Record<'train_loss' | 'val_loss' | 'lr', (number | null)[]>>;

/** A run log of any `TrainRun` version, read into today's shape. */
export interface NormalizedTrainRun {
  /** Today's `TrainRun` shape (validated), with every coercion applied. */
  run: TrainRun;
  /** One sentence per coercion or derivation, in file order (empty for a current, clean log). */
  notes: string[];
  history: EpochHistory;
  /** Top-level keys of no `TrainRun` version (`n_params`, `device`, `torch_version`, `tags`, ...), as written. */
  extras: Obj;
}

const RUN_ID = /^(.+_\d{8}_\d{6})/;
const STRING_FIELDS = new Set<string>(STRING_RUN_FIELDS);
const NUMERIC_FIELDS = new Set<string>(NUMERIC_RUN_FIELDS);
const CONFIG_FIELDS = new Set<string>(TRAIN_CONFIG_FIELDS);

/**
 * Reads a JSON object that carries a run, whatever `TrainRun` version or tool wrote it, into today's shape:
 * `default=str` strings, older field names, flattened/null/missing config, missing run id (derived from
 * `fileName`), JavaScript re-saves (`null` = not recorded), history arrays and extra keys. Every coercion is
 * recorded in `notes`; nothing the file held is dropped (unknown keys go to `extras`). Pure; never throws.
 */
export function normalizeTrainRun(doc: Obj, fileName?: string): NormalizedTrainRun {
  const notes: string[] = [];
  const out: Obj = {};
  const history: EpochHistory = {};
  const extras: Obj = {};
  const hasConfig = isObj(doc.config);
  const flattened: Obj = {};
  let status: string | undefined;

  for (const [key, value] of Object.entries(doc)) {
    if (key === 'run_id' || key === 'config') continue;
    if (key === 'success') {
      const b = readBoolean(value);
      if (b.ok) {
        out.success = b.value;
        if (b.how) notes.push(`success: ${b.how} read as ${String(b.value)}`);
      } else if (b.absent) notes.push('success: null (not recorded)');
      else {
        extras.success = value;
        notes.push(`success: ${b.how}; the outcome is inferred (kept as written in the summary extras)`);
      }
    } else if (key === 'status' && typeof value === 'string' && !('success' in doc)) {
      status = value;
    } else if (NUMERIC_FIELDS.has(key)) {
      setNumber(out, key, value, key, notes, extras);
    } else if (STRING_FIELDS.has(key)) {
      setString(out, key, value, key, notes, extras);
    } else if (key === 'output_files') {
      if (Array.isArray(value) && value.every((p) => typeof p === 'string')) out.output_files = value;
      else if (typeof value === 'string') {
        out.output_files = value.trim() ? [value] : [];
        notes.push('output_files: a single string read as a one-item list');
      } else if (value === null) notes.push('output_files: null (not recorded)');
      else {
        extras.output_files = value;
        notes.push('output_files: not a list of paths (kept as written in the summary extras)');
      }
    } else if (key in HISTORY_FIELDS && Array.isArray(value)) {
      addHistory(history, HISTORY_FIELDS[key]!, key, value, notes, extras);
    } else if (key in OLD_FIELD_NAMES && !(OLD_FIELD_NAMES[key]! in doc) && !isObj(value)) {
      const target = OLD_FIELD_NAMES[key]!;
      if (NUMERIC_FIELDS.has(target)) setNumber(out, target, value, key, notes, extras);
      else setString(out, target, value, key, notes, extras);
      if (target in out) notes.push(`${key}: the older name of ${target}`);
    } else if (key === 'history' && isObj(value)) {
      for (const [hk, hv] of Object.entries(value)) {
        const metric = HISTORY_FIELDS[hk];
        if (metric && Array.isArray(hv)) addHistory(history, metric, `history.${hk}`, hv, notes, extras);
        else extras[`history.${hk}`] = hv;
      }
    } else if (!hasConfig && CONFIG_FIELDS.has(key)) {
      flattened[key] = value;
    } else {
      extras[key] = value;
    }
  }

  const config = readConfig(doc, hasConfig, flattened, notes);
  const runId = readRunId(doc.run_id, config, out, fileName, notes);
  if (!('success' in out)) inferOutcome(out, status, notes);
  if (Object.keys(extras).length)
    notes.push(`extra keys kept in the summary: ${Object.keys(extras).slice(0, 8).join(', ')}`);
  // No schema pass here: every run field above went through a typed reader, and the config is kept as written
  // (coerced where a reader could): a schema would refuse a whole run for one odd config value.
  const run = { ...out, run_id: runId, config } as TrainRun;
  return { run, notes, history, extras };
}

function setNumber(out: Obj, target: string, value: unknown, from: string, notes: string[], extras: Obj) {
  const n = readNumber(value);
  if (n.ok) {
    out[target] = n.value;
    if (n.how) notes.push(`${from}: ${n.how} read as ${showValue(n.value)}`);
  } else if (n.absent) notes.push(`${from}: ${n.how}`);
  else {
    extras[from] = value;
    notes.push(`${from}: ${n.how} (kept as written in the summary extras)`);
  }
}

function setString(out: Obj, target: string, value: unknown, from: string, notes: string[], extras: Obj) {
  const s = readString(value);
  if (s.ok) {
    out[target] = s.value;
    if (s.how) notes.push(`${from}: ${s.how} read as text`);
  } else if (s.absent) notes.push(`${from}: null (not recorded)`);
  else {
    extras[from] = value;
    notes.push(`${from}: ${s.how} (kept as written in the summary extras)`);
  }
}

function addHistory(
  history: EpochHistory,
  metric: keyof EpochHistory,
  from: string,
  value: unknown[],
  notes: string[],
  extras: Obj,
) {
  const a = readNumberArray(value);
  if (!a.ok || history[metric]) {
    extras[from] = value;
    notes.push(
      `${from}: ${a.ok ? `a second ${metric} history` : a.how} (kept as written in the summary extras)`,
    );
    return;
  }
  history[metric] = a.value;
  notes.push(
    `${from}: ${a.value.length} epochs imported as the series ${metric}${a.how ? ` (${a.how})` : ''}`,
  );
}

/** The config object with numpy-as-string numbers and Python-bool strings coerced (listed in one note). */
function readConfig(doc: Obj, hasConfig: boolean, flattened: Obj, notes: string[]): Obj {
  let source: Obj;
  if (hasConfig) source = doc.config as Obj;
  else if (Object.keys(flattened).length) {
    source = flattened;
    notes.push(
      `config: flattened at the top level; ${Object.keys(flattened).length} TrainConfig keys gathered`,
    );
  } else {
    source = {};
    notes.push(
      doc.config === undefined
        ? 'config: missing; the model id comes from the run id'
        : `config: ${doc.config === null ? 'null' : showValue(doc.config)}; the model id comes from the run id`,
    );
  }
  const config: Obj = {};
  const coerced: string[] = [];
  for (const [k, v] of Object.entries(source)) {
    config[k] = v;
    if (NUMERIC_CONFIG_FIELDS.has(k) && typeof v !== 'number' && v !== null) {
      const n = readNumber(v);
      if (n.ok) {
        config[k] = n.value;
        coerced.push(`${k} ${showValue(v)}`);
      }
    } else if (BOOLEAN_CONFIG_FIELDS.has(k) && typeof v !== 'boolean') {
      const b = readBoolean(v);
      if (b.ok) {
        config[k] = b.value;
        coerced.push(`${k} ${showValue(v)}`);
      }
    } else if (k === 'hidden_layers' && Array.isArray(v) && v.some((x) => typeof x !== 'number')) {
      const a = readNumberArray(v);
      if (a.ok && a.value.every((x) => x !== null)) {
        config[k] = a.value;
        coerced.push(`${k} ${showValue(v)}`);
      }
    } else if (k === 'model_id' && typeof v !== 'string') {
      delete config[k];
      config[`model_id (as written)`] = v;
      coerced.push(`model_id ${showValue(v)} (not text: ignored)`);
    }
  }
  if (coerced.length)
    notes.push(
      `config: ${coerced.length} value(s) written as text read as numbers/booleans: ${coerced.slice(0, 5).join(', ')}${coerced.length > 5 ? ', …' : ''}`,
    );
  return config;
}

/** The run id as written, else derived from the file name, else from `model_id` + `start_time`. */
function readRunId(
  raw: unknown,
  config: Obj,
  out: Obj,
  fileName: string | undefined,
  notes: string[],
): string {
  if (typeof raw === 'string' && raw.trim() !== '') return raw;
  if (typeof raw === 'number') {
    notes.push(`run_id: the number ${raw} read as text`);
    return String(raw);
  }
  const what = raw === undefined ? 'missing' : raw === null ? 'null' : `${showValue(raw)} (blank)`;
  const stem = fileName ? basename(fileName).replace(/\.json$/i, '') : '';
  const fromName = RUN_ID.exec(stem)?.[1];
  if (fromName) {
    notes.push(`run_id: ${what}; derived from the file name: ${fromName}`);
    return fromName;
  }
  const model = typeof config.model_id === 'string' ? config.model_id.trim() : '';
  const start =
    typeof out.start_time === 'string'
      ? /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})/.exec(out.start_time)
      : null;
  if (model && start) {
    const id = `${model}_${start[1]}${start[2]}${start[3]}_${start[4]}${start[5]}${start[6]}`;
    notes.push(`run_id: ${what}; derived from config.model_id and start_time: ${id}`);
    return id;
  }
  const id = stem || model || 'unnamed';
  notes.push(`run_id: ${what}; derived from the ${stem ? 'file name' : 'model id'}: ${id}`);
  return id;
}

/** `success` from an older `status` word, else from what the log holds (error text, recorded losses). */
function inferOutcome(out: Obj, status: string | undefined, notes: string[]) {
  const word = status === undefined ? undefined : STATUS_WORDS[status.trim().toLowerCase()];
  const error = typeof out.error === 'string' ? out.error.trim() : '';
  if (word === 'success') {
    out.success = true;
    notes.push(`status ${JSON.stringify(status)}: read as success`);
  } else if (word === 'failed') {
    out.success = false;
    if (!error) out.error = `status ${JSON.stringify(status)} (no error text recorded)`;
    notes.push(`status ${JSON.stringify(status)}: read as failed`);
  } else if (word === 'interrupted') {
    out.success = false;
    out.error = '';
    notes.push(`status ${JSON.stringify(status)}: read as interrupted`);
  } else {
    const said =
      status === undefined ? 'no success or status field' : `status ${JSON.stringify(status)} not recognised`;
    const losses = ['final_train_loss', 'final_val_loss'].some((k) => typeof out[k] === 'number');
    out.success = !error && losses;
    if (out.success) notes.push(`${said}: read as success (no error text, final losses recorded)`);
    else
      notes.push(
        `${said}: read as ${error ? 'failed (error text recorded)' : 'interrupted (no losses, no error text)'}`,
      );
  }
}
