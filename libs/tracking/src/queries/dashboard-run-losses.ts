import { decodeJson } from '../db/json-column';
import type { runs } from '../db/schema';
import { jsonArrayValues } from '../db/sql-client';
import type { SqlRow } from '../db/sql-row';
import type { JsonObject } from '../db/schema';
import { isLossKey, pickTrainLossKey, pickValLossKey } from '../health/loss-keys';
import type { Tracker } from '../tracker';
import { metricSummaries } from './get-run';
import { listRuns, type ListRunsInput } from './list-runs';
import type { RunItem } from './run-item';

/** The loss columns of the dashboard's runs table. Values may be NaN/±Infinity; null = nothing recorded. */
export interface RunLosses {
  /** Last value of the training loss (`loss`, else `train_loss`, …); legacy: the file's `final_train_loss`. */
  finalLoss: number | null;
  /** Lowest finite validation loss (else training loss); legacy: the file's `best_val_loss`. */
  bestLoss: number | null;
  /** The last value of the first non-loss metric (accuracy, parity error, …), else of the validation loss. */
  keyMetric: { key: string; value: number } | null;
}

const num = (v: unknown): number | null => {
  if (typeof v === 'number') return v;
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  return null;
};

/** Loss columns of one run, from its metric summaries (rollups: cost independent of the series length). */
export function runLosses(tracker: Tracker, runId: string, summary: JsonObject | null): RunLosses {
  const metrics = metricSummaries(tracker, runId);
  const byKey = new Map(metrics.map((m) => [m.key, m]));
  const train = pickTrainLossKey(byKey.keys());
  const val = pickValLossKey(byKey.keys());
  const other = metrics.find((m) => !isLossKey(m.key));
  const key = other ?? (val ? byKey.get(val) : undefined);
  // A series with no finite value has no min: show what the file reports, else its (non-finite) last value,
  // never a blank (a diverged run must read NaN/+Inf, not "—").
  const lowest = (k: string): number | null => {
    const s = byKey.get(k)!;
    return s.min ?? num(summary?.best_val_loss) ?? s.last;
  };
  return {
    finalLoss: train ? byKey.get(train)!.last : num(summary?.final_train_loss ?? summary?.final_loss),
    bestLoss: val
      ? lowest(val)
      : train
        ? lowest(train)
        : num(summary?.best_val_loss ?? summary?.final_val_loss),
    keyMetric: key ? { key: key.key, value: key.last } : null,
  };
}

/** `listRuns` plus the loss columns of every run on the page (the dashboard's runs table). */
export function listRunsWithLosses(
  tracker: Tracker,
  input: ListRunsInput = {},
): { items: (RunItem & RunLosses)[]; nextCursor: string | null } {
  const page = listRuns(tracker, input);
  const ids = page.items.map((r) => r.id);
  const summaries = new Map(
    (
      tracker.sql
        .prepare(
          `SELECT id, summary FROM runs WHERE id IN (SELECT value FROM ${jsonArrayValues(tracker.sql, '?')})`,
        )
        .all(JSON.stringify(ids)) as Pick<SqlRow<typeof runs>, 'id' | 'summary'>[]
    ).map((r) => [r.id, r.summary === null ? null : (decodeJson(r.summary) as JsonObject)]),
  );
  return {
    items: page.items.map((r) => ({ ...r, ...runLosses(tracker, r.id, summaries.get(r.id) ?? null) })),
    nextCursor: page.nextCursor,
  };
}
