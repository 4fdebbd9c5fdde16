import { withBusyRetry } from '@kelly/tracking';
import type { Tracker } from '@kelly/tracking';
import type { IngestDecision } from './ingest-decision';
import { ingestStatements } from './ingest-store';

/** What is known of a file recorded as unparseable outside the normal import (unreadable, or its import failed). */
export interface UnparseableFile {
  path: string;
  dir: string;
  relPath: string;
  sha256: string | null;
  /** Size in bytes. */
  bytes: number | null;
  mtime: number | null;
  rawText: string | null;
}

/**
 * Records `file` as `unparseable` with `reason`, keeping the run an earlier version of it made. Never throws:
 * if even recording fails, the returned decision's reason says so.
 */
export function recordUnparseable(
  tracker: Tracker,
  file: UnparseableFile,
  reason: string,
  now: number,
): IngestDecision {
  const decision: IngestDecision = {
    path: file.path,
    relPath: file.relPath,
    outcome: 'unparseable',
    changed: true,
    reason,
    byteOffset: null,
    runId: null,
    sha256: file.sha256,
  };
  try {
    const st = ingestStatements(tracker.sql);
    // In its own savepoint: on PostgreSQL a failed statement would otherwise abort the caller's whole transaction
    // (every file of an ingestDir batch), not just this record.
    withBusyRetry(() => {
      tracker.sql.transaction(() => {
        const existing = st.byPath(file.path);
        decision.runId = existing?.runId ?? null;
        const row = {
          ...file,
          outcome: 'unparseable' as const,
          reason,
          byteOffset: null,
          format: null,
          runId: decision.runId,
          duplicateOfFileId: null,
          lastSeenAt: now,
        };
        if (existing) st.update({ ...row, id: existing.id });
        else st.insert({ ...row, firstSeenAt: now });
      })();
    });
  } catch (e) {
    decision.reason = `${reason}; and it could not be recorded: ${e instanceof Error ? e.message : String(e)}`;
  }
  return decision;
}
