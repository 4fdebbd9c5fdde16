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
import { meaningHash } from './canonical-json';
import { meaningOfStored, runDifferences } from './run-conflict';

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
      tracker.sql.transaction(() => decide(tracker, file, ready, now, options)).immediate(),
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
  const st = ingestStatements(tracker.sql);
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
  // What the file means, hashed only when another file claims the same run (rare): see canonicalRunHash
  let meaning: string | undefined;
  const sameMeaningAs = (other: IngestFileRow | undefined): boolean => {
    const m = other ? meaningOfStored(other.rawText, other.relPath) : null;
    return m !== null && meaningHash(m) === (meaning ??= meaningHash(reading.meaning));
  };
  const notes = importNotesReason(record.notes);
  let savedId = 0;
  const finish = (fields: Partial<IngestFileRow>) => {
    Object.assign(row, fields);
    savedId = save();
    return fromRow({ ...row, id: savedId, firstSeenAt: now }, true);
  };
  // inside this file's savepoint: a throw rolls the whole file back and it is recorded by recordUnparseable
  const write = (runId: string) => {
    if (!prepared.run) throw new Error(prepared.runError ?? 'the run could not be prepared');
    importParsedRunInTransaction(tracker, { ...prepared.run, id: runId });
  };
  const join = (...parts: (string | null)[]) => parts.filter(Boolean).join('; ') || null;

  // this file holds a run and changed: the run follows it (unless it still means the same)
  if (existing?.runId && !['duplicate', 'conflict', 'missing'].includes(existing.outcome)) {
    const runId = existing.runId;
    if (sameMeaningAs(existing))
      return finish({
        outcome: 'updated',
        runId,
        reason: join('re-saved with the same content; run unchanged', notes),
      });
    write(runId);
    return finish({
      outcome: 'updated',
      runId,
      reason: join('content changed; earlier version kept', notes),
    });
  }

  const runId = record.id;
  const info = st.runInfo(runId);
  if (!info) {
    write(runId);
    return finish({ outcome: 'imported', runId, reason: notes });
  }
  if (info.source !== 'legacy')
    return finish({
      outcome: 'conflict',
      runId: null,
      reason: `run id ${runId} belongs to a live run of this store; this file is not imported`,
    });
  const holders = st.byRun(runId).filter((o) => o.path !== file.path);
  const owner = holders.find((o) => !['duplicate', 'conflict', 'missing'].includes(o.outcome));
  const gone =
    holders.find((o) => o.outcome === 'missing') ??
    (existing?.outcome === 'missing' && existing.runId === runId ? existing : undefined);

  if (sameMeaningAs(owner ?? gone)) {
    if (owner) {
      if (preferAsOriginal(file.relPath, owner.relPath, runId)) {
        // this file is the better original (see preferAsOriginal); the earlier one becomes its duplicate
        const decision = finish({ outcome: owner.outcome, reason: owner.reason, runId });
        st.setOutcome(owner.id, 'duplicate', `same content as ${file.relPath}`, savedId, now);
        st.repointDuplicates(savedId, owner.id);
        return decision;
      }
      return finish({
        outcome: 'duplicate',
        runId,
        reason: `same content as ${owner.relPath}`,
        duplicateOfFileId: owner.id,
      });
    }
    // no file shows the run: this one was moved, renamed, or deleted and put back
    const reason =
      gone === existing
        ? 'reappeared with the same content'
        : gone
          ? `same content as the deleted ${gone.relPath}: moved or renamed, run kept`
          : 'same content as the run';
    const decision = finish({ outcome: 'imported', runId, reason: join(reason, notes) });
    if (gone && gone !== existing) {
      st.setOutcome(gone.id, 'missing', `deleted; its content is now ${file.relPath}`, null, now);
      st.repointDuplicates(savedId, gone.id);
    }
    st.setSourceMissing(runId, false);
    return decision;
  }

  if (!owner) {
    write(runId);
    const was =
      gone && gone !== existing ? `the run's file ${gone.relPath} is deleted` : 'no file shows the run';
    return finish({
      outcome: 'updated',
      runId,
      reason: join(`${was}; this file, with other content, now holds it`, notes),
    });
  }
  // same run id, other content: a conflict, shown to the user; the run keeps showing one file
  const shown = meaningOfStored(owner.rawText, owner.relPath);
  const conflictReason = (
    here: string,
    there: string,
    hereMeaning: object | null,
    thereMeaning: object | null,
  ) =>
    `conflict: run ${runId} shows ${there}; this file has the same run id with other content` +
    (hereMeaning && thereMeaning
      ? ` (${runDifferences(thereMeaning as Record<string, unknown>, hereMeaning as Record<string, unknown>, { shown: there, other: here })})`
      : '') +
    '; not imported';
  if (preferAsOriginal(file.relPath, owner.relPath, runId)) {
    write(runId);
    const decision = finish({
      outcome: 'imported',
      runId,
      reason: join(
        `shown by run ${runId}; ${owner.relPath} has the same run id with other content (conflict)`,
        notes,
      ),
    });
    st.setOutcome(
      owner.id,
      'conflict',
      conflictReason(owner.relPath, file.relPath, shown, reading.meaning),
      null,
      now,
    );
    return decision;
  }
  return finish({
    outcome: 'conflict',
    runId,
    reason: conflictReason(file.relPath, owner.relPath, reading.meaning, shown),
  });
}

/** The reason recorded for a run log read with import notes (null without any). */
export function importNotesReason(notes: readonly string[]): string | null {
  return notes.length ? `read with ${notes.length} import note(s): ${notes.join('; ')}` : null;
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
