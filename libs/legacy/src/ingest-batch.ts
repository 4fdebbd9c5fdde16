import { importRunsInTransaction, type ImportRun, type Tracker } from '@kelly/tracking';
import {
  fromRow,
  logLine,
  type IngestDecision,
  type IngestOptions,
  type LegacyFileInput,
} from './ingest-decision';
import { importNotesReason } from './ingest-file';
import { ingestLoaded } from './ingest-loaded';
import { ingestStatements, type IngestFileRow } from './ingest-store';
import type { Loaded } from './load-legacy-file';
import { prepareLegacyFile, type PreparedLegacyFile } from './prepare-file';

/** What the batch does with one loaded file. */
type Plan =
  /** on its own, as `ingestLoaded` (anything but the common cases below) */
  | { kind: 'alone' }
  /** recorded with this exact content: only its last-seen time (and place) is written */
  | { kind: 'touch'; id: number; dir: string; relPath: string; decision: IngestDecision }
  /** new file: a new record and, for a run log, its run */
  | { kind: 'new'; row: Omit<IngestFileRow, 'id'>; run?: ImportRun };

/**
 * Imports a batch of loaded files inside the caller's write transaction, with the same records, runs and log lines
 * as `ingestLoaded` on each file in order, but writing the common cases together: the batch's records are looked
 * up in one query, every file is read and mapped before anything is written, then new files (with their new runs)
 * and unchanged ones are written table by table with no savepoint. Files that need the per-file rules (a changed
 * file, a run id already in the store or claimed twice in the batch, a registry handed to `onDocument`, …) are
 * imported one by one, each in its own savepoint.
 * @throws if writing the files together fails: the caller rolls the transaction back and imports the batch again
 * with `oneByOne`, so one bad file still fails alone (recorded with the reason) and the others are imported.
 */
export function ingestBatch(
  tracker: Tracker,
  root: string,
  batch: readonly Loaded[],
  options: IngestOptions,
  oneByOne = false,
): IngestDecision[] {
  if (oneByOne) return batch.map((l) => ingestLoaded(tracker, root, l, options));
  const now = options.now?.() ?? Date.now();
  const st = ingestStatements(tracker.sql);
  tracker.maybeSweep();
  const known = st.byPaths(
    batch.flatMap((l) => (l.kind === 'file' ? [l.input.path] : l.kind === 'same' ? [l.path] : [])),
  );
  const preps: (PreparedLegacyFile | undefined)[] = [];
  const plans = batch.map((l, i) => {
    const r = plan(root, l, known.get(l.kind === 'file' ? l.input.path : l.path), now, options);
    preps[i] = r.prepared;
    return r.plan;
  });
  // a run id claimed twice in the batch, or already in the store, takes the per-file rules (duplicates, conflicts)
  const claims = new Map<string, number>();
  for (const p of plans) if (p.kind === 'new' && p.run) claims.set(p.run.id, (claims.get(p.run.id) ?? 0) + 1);
  const stored = st.runsAmong([...claims.keys()]);
  plans.forEach((p, i) => {
    if (p.kind === 'new' && p.run && (claims.get(p.run.id)! > 1 || stored.has(p.run.id)))
      plans[i] = { kind: 'alone' };
    // what a file read to (its parsed document) is only kept for a file imported on its own
    else if (p.kind !== 'alone') preps[i] = undefined;
  });
  const runs = plans.flatMap((p) => (p.kind === 'new' && p.run ? [p.run] : []));
  if (runs.length) importRunsInTransaction(tracker, runs);
  st.insertMany(plans.flatMap((p) => (p.kind === 'new' ? [p.row] : [])));
  for (const p of plans) if (p.kind === 'touch') st.touch(p.id, now, p.dir, p.relPath);
  return batch.map((l, i) => {
    const p = plans[i]!;
    if (p.kind === 'alone') return ingestLoaded(tracker, root, l, options, preps[i]);
    const d = p.kind === 'touch' ? p.decision : fromRow({ ...p.row, id: 0 }, true);
    if (d.changed || options.logUnchanged) options.log?.(logLine(d));
    return d;
  });
}

function plan(
  root: string,
  loaded: Loaded,
  existing: IngestFileRow | undefined,
  now: number,
  options: IngestOptions,
): { plan: Plan; prepared?: PreparedLegacyFile } {
  const alone = { plan: { kind: 'alone' } as const };
  if (loaded.kind === 'same') {
    // the caller's quick check matched this record: touched, as ingestLoaded does (decision read after the touch)
    if (!existing || existing.id !== loaded.id) return alone;
    const after = { ...existing, dir: root, relPath: loaded.relPath };
    return {
      plan: {
        kind: 'touch',
        id: existing.id,
        dir: root,
        relPath: loaded.relPath,
        decision: fromRow(after, false),
      },
    };
  }
  if (loaded.kind !== 'file') return alone;
  let p: PreparedLegacyFile;
  try {
    p = prepareLegacyFile(loaded.input);
  } catch {
    return alone; // recorded with the reason by the per-file import
  }
  const file: LegacyFileInput = loaded.input;
  if (existing) {
    if (existing.sha256 === p.sha256 && existing.outcome !== 'missing') {
      const decision = fromRow(existing, false);
      return {
        plan: { kind: 'touch', id: existing.id, dir: file.dir, relPath: file.relPath, decision },
        prepared: p,
      };
    }
    return { plan: alone.plan, prepared: p };
  }
  const row: Omit<IngestFileRow, 'id'> = {
    path: file.path,
    dir: file.dir,
    relPath: file.relPath,
    sha256: p.sha256,
    bytes: p.size,
    mtime: file.mtimeMs ?? null,
    outcome: 'unparseable',
    reason: null,
    byteOffset: null,
    format: null,
    runId: null,
    duplicateOfFileId: null,
    rawText: p.rawText,
    firstSeenAt: now,
    lastSeenAt: now,
  };
  const r = p.reading;
  if (r.outcome === 'unparseable')
    return { plan: { kind: 'new', row: { ...row, reason: r.reason, byteOffset: r.offset } }, prepared: p };
  if (r.outcome === 'ignored') {
    // a recognised document handed to onDocument (a registry imported as model history) goes on its own
    if (r.document && options.onDocument) return { plan: alone.plan, prepared: p };
    const ignored = {
      ...row,
      outcome: 'ignored' as const,
      reason: r.reason,
      format: r.document?.format ?? null,
    };
    return { plan: { kind: 'new', row: ignored }, prepared: p };
  }
  if (!p.run) return { plan: alone.plan, prepared: p };
  const imported = {
    ...row,
    outcome: 'imported' as const,
    format: 'train-run' as const,
    runId: r.record.id,
    reason: importNotesReason(r.record.notes),
  };
  return { plan: { kind: 'new', row: imported, run: p.run }, prepared: p };
}
