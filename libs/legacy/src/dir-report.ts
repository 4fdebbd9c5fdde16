import type { IngestOutcome, RunStatus } from '@kelly/tracking/schema';
import type { Tracker } from '@kelly/tracking';
import { fromRow, type IngestDecision } from './ingest-decision';
import { ingestStatements } from './ingest-store';

/** One file of a folder as a pass reports it: its recorded decision and its run's status. */
export type DirFileReport = IngestDecision & { runStatus: RunStatus | null };

/** Decisions per outcome, plus how many files the pass found unchanged. */
export type IngestTotals = Record<IngestOutcome | 'unchanged', number>;

/**
 * Every file recorded under `dir` (the `dir` key of its records: an absolute path, or `host:path` for files a
 * remote watcher sent), with its run's status and size/mtime as recorded, in rel_path order. `changed`: the paths
 * this pass changed (default none).
 */
export function dirRecords(
  tracker: Tracker,
  dir: string,
  changed: ReadonlyMap<string, boolean> = new Map(),
): (DirFileReport & { id: number; bytes: number | null; mtime: number | null })[] {
  const statusQuery = tracker.sql.prepare(`SELECT status FROM runs WHERE id = ?`).pluck();
  const statusOf = (runId: string | null) =>
    runId ? ((statusQuery.get(runId) as RunStatus | undefined) ?? null) : null;
  return ingestStatements(tracker.sql)
    .underDir(dir)
    .map((row) => ({
      ...fromRow(row, changed.get(row.path) ?? false),
      runStatus: statusOf(row.runId),
      id: row.id,
      bytes: row.bytes,
      mtime: row.mtime,
    }));
}

export function totalsOf(files: readonly IngestDecision[]): IngestTotals {
  const totals: IngestTotals = {
    imported: 0,
    duplicate: 0,
    conflict: 0,
    updated: 0,
    unparseable: 0,
    ignored: 0,
    missing: 0,
    unchanged: 0,
  };
  for (const f of files) countInto(totals, f);
  return totals;
}

/** Adds one file to `totals` (a pass that counts its files without listing them). */
export function countInto(totals: IngestTotals, f: IngestDecision): void {
  totals[f.outcome]++;
  if (!f.changed) totals.unchanged++;
}
