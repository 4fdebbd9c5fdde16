import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import type { IngestOutcome, RunStatus } from '../db/schema';
import { withBusyRetry } from '../sqlite-retry';
import type { Tracker } from '../tracker';
import { fromRow, ingestLegacyFile, logLine, type IngestDecision, type IngestOptions } from './ingest-file';
import { ingestStatements } from './ingest-store';
import { listLegacyFiles } from './legacy-files';
import { loadLegacyFile, type KnownStat, type Loaded } from './load-legacy-file';
import { markMissing } from './mark-missing';
import { PreparePool } from './prepare-pool';
import { bulkIngest } from './bulk-ingest';

function ingestLoaded(
  tracker: Tracker,
  root: string,
  loaded: Loaded,
  options: IngestOptions,
): IngestDecision {
  if (loaded.kind === 'file') return ingestLegacyFile(tracker, loaded.input, options, loaded.prepared);
  if (loaded.kind === 'same') {
    const st = ingestStatements(tracker.sqlite);
    st.touch(loaded.id, options.now?.() ?? Date.now(), root, loaded.relPath);
    return fromRow(st.byId(loaded.id)!, false);
  }
  if (loaded.kind === 'gone') return markMissing(tracker, loaded.path, options);
  const d = recordUnreadable(tracker, loaded.path, root, loaded.relPath, loaded.error);
  options.log?.(logLine(d));
  return d;
}

/** Reads one file from disk and imports it; a file that vanished is marked missing. Never throws. */
export async function ingestFile(
  tracker: Tracker,
  dir: string,
  path: string,
  options: IngestOptions = {},
): Promise<IngestDecision> {
  const root = resolve(dir);
  return ingestLoaded(tracker, root, await loadLegacyFile(root, path), options);
}

function recordUnreadable(
  tracker: Tracker,
  path: string,
  dir: string,
  relPath: string,
  error: string,
): IngestDecision {
  const reason = `cannot read the file: ${error}`;
  const decision: IngestDecision = {
    path,
    relPath,
    outcome: 'unparseable',
    changed: true,
    reason,
    byteOffset: null,
    runId: null,
    sha256: null,
  };
  try {
    const st = ingestStatements(tracker.sqlite);
    const now = Date.now();
    withBusyRetry(() => {
      const row = st.byPath(path);
      decision.runId = row?.runId ?? null;
      const fields = {
        path,
        dir,
        relPath,
        sha256: null,
        bytes: null,
        mtime: null,
        outcome: 'unparseable' as const,
        reason,
        byteOffset: null,
        format: null,
        runId: decision.runId,
        duplicateOfFileId: null,
        rawText: null,
        lastSeenAt: now,
      };
      if (row) st.update({ ...fields, id: row.id });
      else st.insert({ ...fields, firstSeenAt: now });
    });
  } catch (e2) {
    decision.reason = `${reason}; and it could not be recorded: ${e2 instanceof Error ? e2.message : String(e2)}`;
  }
  return decision;
}

/** `bulkIngest`, or (if it failed and rolled back) nothing taken: every file then goes the per-file way. */
function bulkOrNothing(
  tracker: Tracker,
  batch: Loaded[],
  options: IngestOptions,
): ReturnType<typeof bulkIngest> {
  try {
    return bulkIngest(tracker, batch, options);
  } catch {
    return { decisions: [], rest: batch };
  }
}

/** Files per import transaction in `ingestDir`. */
const BATCH_FILES = 200;
/** Below this many files a worker's start-up costs more than it saves. */
const WORKER_MIN_FILES = 1000;

const defaultWorkers = (files: number) => (files >= WORKER_MIN_FILES && availableParallelism() > 1 ? 1 : 0);

export interface IngestDirResult {
  dir: string;
  /** Every file under `dir` known to the store after the pass, including ones now missing, with its run's status. */
  files: (IngestDecision & { runStatus: RunStatus | null })[];
  totals: Record<IngestOutcome | 'unchanged', number>;
}

/**
 * One pass over `dir`: imports every new or changed file, marks records of files no longer on disk as missing,
 * then reports every file with its recorded outcome. Never throws for a bad file (only if `dir` is unreadable).
 */
export async function ingestDir(
  tracker: Tracker,
  dir: string,
  options: IngestOptions = {},
): Promise<IngestDirResult> {
  const root = resolve(dir);
  const onDisk = await listLegacyFiles(root);
  const changed = new Map<string, boolean>();
  const statOf = tracker.sqlite.prepare(`SELECT id, mtime, bytes, outcome FROM ingest_files WHERE path = ?`);
  const known = options.quick ? (path: string) => statOf.get(path) as KnownStat | undefined : undefined;
  const workers = known ? 0 : (options.workers ?? defaultWorkers(onDisk.length));
  const pool = workers > 0 ? new PreparePool(workers) : null;
  // Files are read concurrently and imported in batches, each batch one transaction (savepoint per file).
  // With workers, later batches are read and prepared there while this thread writes the current one.
  const batches: string[][] = [];
  for (let i = 0; i < onDisk.length; i += BATCH_FILES) batches.push(onDisk.slice(i, i + BATCH_FILES));
  const read = (paths: string[]): Promise<Loaded[]> =>
    pool ? pool.load(root, paths) : Promise.all(paths.map((p) => loadLegacyFile(root, p, known)));
  const ahead = batches.slice(0, workers + 1).map(read);
  try {
    for (let b = 0; b < batches.length; b++) {
      const batch = await ahead[b]!;
      if (b + workers + 1 < batches.length) ahead.push(read(batches[b + workers + 1]!));
      ahead[b] = Promise.resolve([]); // let the batch be collected once written
      const decisions = withBusyRetry(() =>
        tracker.sqlite
          .transaction(() => {
            const fast = bulkOrNothing(tracker, batch, options);
            return [...fast.decisions, ...fast.rest.map((l) => ingestLoaded(tracker, root, l, options))];
          })
          .immediate(),
      );
      for (const d of decisions) changed.set(d.path, d.changed);
    }
  } finally {
    await pool?.close();
  }
  const present = new Set(onDisk);
  for (const row of ingestStatements(tracker.sqlite).underDir(root)) {
    if (!present.has(row.path) && row.outcome !== 'missing') {
      const d = markMissing(tracker, row.path, options);
      changed.set(row.path, d.changed);
    }
  }
  const statusQuery = tracker.sqlite.prepare(`SELECT status FROM runs WHERE id = ?`).pluck();
  const statusOf = (runId: string | null) =>
    runId ? ((statusQuery.get(runId) as RunStatus | undefined) ?? null) : null;
  const files = ingestStatements(tracker.sqlite)
    .underDir(root)
    .map((row) => ({ ...fromRow(row, changed.get(row.path) ?? false), runStatus: statusOf(row.runId) }));
  const totals: IngestDirResult['totals'] = {
    imported: 0,
    duplicate: 0,
    updated: 0,
    unparseable: 0,
    ignored: 0,
    missing: 0,
    unchanged: 0,
  };
  for (const f of files) {
    totals[f.outcome]++;
    if (!f.changed) totals.unchanged++;
  }
  return { dir: root, files, totals };
}
