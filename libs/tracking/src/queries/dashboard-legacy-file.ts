import type { IngestFileRecord } from '../db/schema';
import type { Tracker } from '../tracker';

/** The legacy file a run was imported from, with its raw text as read (null for live runs). */
export type LegacyFileOfRun = Pick<IngestFileRecord, 'id' | 'path' | 'relPath' | 'outcome' | 'rawText'>;

/** The primary ingest record of an imported run (imported/updated first, then any other), or null. */
export function legacyFileOfRun(tracker: Tracker, runId: string): LegacyFileOfRun | null {
  const row = tracker.sql
    .prepare(
      `SELECT id, path, rel_path AS "relPath", outcome, raw_text AS "rawText" FROM ingest_files WHERE run_id = ?
       ORDER BY CASE outcome WHEN 'imported' THEN 0 WHEN 'updated' THEN 0 ELSE 1 END, id LIMIT 1`,
    )
    .get(runId) as LegacyFileOfRun | undefined;
  return row ?? null;
}
