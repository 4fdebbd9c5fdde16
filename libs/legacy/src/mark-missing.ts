import { withBusyRetry } from '@kelly/tracking';
import type { Tracker } from '@kelly/tracking';
import { fromRow, logLine, type IngestDecision, type IngestOptions } from './ingest-decision';
import { ingestStatements } from './ingest-store';

/**
 * A file is gone from disk: its record becomes `missing`; its run is kept and marked source-missing, unless a
 * duplicate of the file is still there, which then takes over as the run's file. Never throws.
 */
export function markMissing(tracker: Tracker, path: string, options: IngestOptions = {}): IngestDecision {
  const now = options.now?.() ?? Date.now();
  const st = ingestStatements(tracker.sql);
  try {
    const decision = withBusyRetry(() =>
      tracker.sql
        .transaction((): IngestDecision | null => {
          const row = st.byPath(path);
          if (!row || row.outcome === 'missing') return null;
          const wasOriginal = row.runId !== null && row.outcome !== 'duplicate';
          st.setOutcome(
            row.id,
            'missing',
            `deleted from disk (was ${row.outcome})`,
            row.duplicateOfFileId,
            now,
          );
          if (wasOriginal && row.runId) {
            const heir = st.byRun(row.runId).find((r) => r.id !== row.id && r.outcome === 'duplicate');
            if (heir) {
              st.setOutcome(heir.id, row.outcome, `took over from the deleted ${row.relPath}`, null, now);
              st.repointDuplicates(heir.id, row.id);
            } else st.setSourceMissing(row.runId, true);
          }
          return fromRow(st.byId(row.id)!, true);
        })
        .immediate(),
    );
    if (!decision)
      return {
        path,
        relPath: path,
        outcome: 'missing',
        changed: false,
        reason: null,
        byteOffset: null,
        runId: null,
        sha256: null,
      };
    options.log?.(logLine(decision));
    return decision;
  } catch (e) {
    const reason = `could not mark the file missing: ${e instanceof Error ? e.message : String(e)}`;
    options.log?.(`error ${path}: ${reason}`);
    return {
      path,
      relPath: path,
      outcome: 'missing',
      changed: false,
      reason,
      byteOffset: null,
      runId: null,
      sha256: null,
    };
  }
}
