import { basename } from 'node:path';
import { importParsedRunInTransaction, withBusyRetry, type Tracker } from '@kelly/tracking';
import type { LegacyDocument } from './classify';
import { errorText } from './import-input';
import {
  fromRow,
  logLine,
  type IngestDecision,
  type IngestOptions,
  type LegacyFileInput,
} from './ingest-decision';
import { ingestStatements, type IngestFileRow } from './ingest-store';
import { recordUnparseable } from './record-unparseable';
import { prepareLegacyFile, sha256Hex, type PreparedLegacyFile } from './prepare-file';

/**
 * Imports one legacy file into the store, idempotently (sha256 per file). Never throws: a failure to write is
 * itself recorded (or, if even that fails, returned) as `unparseable` with the reason.
 *
 * - same path, same content → nothing new (`changed: false`);
 * - same content as another file holding a run → `duplicate` of it (one run); the file named `<run_id>.json`
 *   is preferred as the original;
 * - same content as a deleted file → that file was moved or renamed: its run is taken over;
 * - a changed file → its run is rewritten (`updated`), the earlier content kept in ingest_file_versions;
 * - unreadable → `unparseable` with reason and byte offset; valid JSON but no run log → `ignored`.
 */
export function ingestLegacyFile(
  tracker: Tracker,
  file: LegacyFileInput,
  options: IngestOptions = {},
  prepared?: PreparedLegacyFile,
): IngestDecision {
  const now = options.now?.() ?? Date.now();
  let decision: IngestDecision;
  let p = prepared;
  try {
    p ??= prepareLegacyFile(file);
    const ready = p;
    // stale live runs are marked CRASHED at most every staleAfterS/2 (as on the trainer's write path)
    tracker.maybeSweep();
    decision = withBusyRetry(() =>
      tracker.sqlite.transaction(() => decide(tracker, file, ready, now, options)).immediate(),
    );
  } catch (e) {
    decision = recordUnparseable(
      tracker,
      {
        path: file.path,
        dir: file.dir,
        relPath: file.relPath,
        sha256: p?.sha256 ?? sha256Hex(file.bytes),
        bytes: p?.size ?? file.bytes.length,
        mtime: file.mtimeMs ?? null,
        rawText: p?.rawText ?? new TextDecoder('utf-8').decode(file.bytes),
      },
      `import failed: ${errorText(e)}`,
      now,
    );
  }
  if (decision.changed || options.logUnchanged) options.log?.(logLine(decision));
  return decision;
}

function decide(
  tracker: Tracker,
  file: LegacyFileInput,
  prepared: PreparedLegacyFile,
  now: number,
  options: IngestOptions,
): IngestDecision {
  const st = ingestStatements(tracker.sqlite);
  const sha = prepared.sha256;
  const existing = st.byPath(file.path);
  if (existing && existing.sha256 === sha && existing.outcome !== 'missing') {
    st.touch(existing.id, now, file.dir, file.relPath);
    return fromRow(existing, false);
  }
  if (existing && existing.sha256 !== sha) {
    st.insertVersion(existing.id, existing.sha256, existing.rawText, existing.runId, now);
  }
  const reading = prepared.reading;
  const row: Omit<IngestFileRow, 'id' | 'firstSeenAt'> = {
    path: file.path,
    dir: file.dir,
    relPath: file.relPath,
    sha256: sha,
    bytes: prepared.size,
    mtime: file.mtimeMs ?? null,
    outcome: 'unparseable',
    reason: null,
    byteOffset: null,
    format: null,
    // a changed file that no longer reads keeps pointing at the run its earlier version made
    runId: existing?.runId ?? null,
    duplicateOfFileId: null,
    rawText: prepared.rawText,
    lastSeenAt: now,
  };
  const save = (): number => {
    if (existing) {
      st.update({ ...row, id: existing.id });
      return existing.id;
    }
    return st.insert({ ...row, firstSeenAt: now });
  };

  if (reading.outcome === 'unparseable') {
    Object.assign(row, { outcome: 'unparseable', reason: reading.reason, byteOffset: reading.offset });
    return fromRow({ ...row, id: save(), firstSeenAt: now }, true);
  }
  if (reading.outcome === 'ignored') {
    Object.assign(row, {
      outcome: 'ignored',
      reason: reading.document
        ? withDocumentNote(reading.reason, reading.document, file, options)
        : reading.reason,
      format: reading.document?.format ?? null,
    });
    return fromRow({ ...row, id: save(), firstSeenAt: now }, true);
  }

  const record = reading.record;
  row.format = 'train-run';
  const others = st.withRunBySha(sha, file.path);
  const original = others.find((o) => o.outcome !== 'missing' && o.outcome !== 'duplicate');
  const moved = others.find((o) => o.outcome === 'missing');
  if (original?.runId) {
    row.runId = original.runId;
    if (preferAsOriginal(file.relPath, original.relPath, record.id)) {
      // this file is the better original (see preferAsOriginal); the earlier one becomes its duplicate
      Object.assign(row, { outcome: original.outcome, reason: original.reason });
      const id = save();
      st.setOutcome(original.id, 'duplicate', `same content as ${file.relPath}`, id, now);
      st.repointDuplicates(id, original.id);
      return fromRow({ ...row, id, firstSeenAt: now }, true);
    }
    Object.assign(row, {
      outcome: 'duplicate',
      reason: `same content as ${original.relPath}`,
      duplicateOfFileId: original.id,
    });
    return fromRow({ ...row, id: save(), firstSeenAt: now }, true);
  }
  if (
    existing?.outcome === 'missing' &&
    existing.sha256 === sha &&
    existing.runId &&
    st.runExists(existing.runId)
  ) {
    // deleted, then back with the same content: the run is whole again
    Object.assign(row, {
      outcome: 'imported',
      runId: existing.runId,
      reason: 'reappeared with the same content',
    });
    st.setSourceMissing(existing.runId, false);
    return fromRow({ ...row, id: save(), firstSeenAt: now }, true);
  }
  if (moved?.runId) {
    Object.assign(row, {
      outcome: 'imported',
      runId: moved.runId,
      reason: `same content as the deleted ${moved.relPath}: moved or renamed, run kept`,
    });
    const id = save();
    st.setOutcome(moved.id, 'missing', `deleted; its content is now ${file.relPath}`, null, now);
    st.repointDuplicates(id, moved.id);
    st.setSourceMissing(moved.runId, false);
    return fromRow({ ...row, id, firstSeenAt: now }, true);
  }

  let runId = existing?.runId ?? record.id;
  let reason: string | null = existing?.runId ? 'content changed; earlier version kept' : null;
  if (!existing?.runId && st.runExists(runId)) {
    runId = `${record.id}~${sha.slice(0, 8)}`;
    reason = `run id ${record.id} is already taken by another file; imported as ${runId}`;
  }
  // inside this file's savepoint: a throw rolls the whole file back and it is recorded by recordUnparseable
  if (!prepared.run) throw new Error(prepared.runError ?? 'the run could not be prepared');
  importParsedRunInTransaction(tracker, { ...prepared.run, id: runId });
  Object.assign(row, { outcome: existing?.runId ? 'updated' : 'imported', reason, runId });
  return fromRow({ ...row, id: save(), firstSeenAt: now }, true);
}

/** Runs `options.onDocument` and appends its note (or its error) to the reason. */
function withDocumentNote(
  reason: string,
  document: LegacyDocument,
  file: LegacyFileInput,
  options: IngestOptions,
): string {
  if (!options.onDocument) return reason;
  try {
    const note = options.onDocument(document, file);
    return note ? `${reason}; ${note}` : reason;
  } catch (e) {
    return `${reason}; could not import it: ${errorText(e)}`;
  }
}

/**
 * Which of two files with the same content is the original: the one named `<run_id>.json`, else one that does
 * not look like a copy (`… copy.json`, `… (2).json`, OneDrive `…-MacBook-Pro.json`).
 */
function preferAsOriginal(candidate: string, current: string, runId: string): boolean {
  const rank = (p: string) => (basename(p) === `${runId}.json` ? 0 : looksLikeCopy(p) ? 2 : 1);
  return rank(candidate) < rank(current);
}

const looksLikeCopy = (p: string) =>
  / copy( \d+)?\.json$|\(\d+\)\.json$|-[A-Za-z0-9]+-[A-Za-z0-9-]+\.json$/i.test(basename(p));

export {
  fromRow,
  logLine,
  type IngestDecision,
  type IngestOptions,
  type LegacyFileInput,
} from './ingest-decision';
