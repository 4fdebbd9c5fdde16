import type { SqlClient } from '@kelly/tracking';
import type { IngestFileRecord, IngestOutcome } from '@kelly/tracking/schema';

/** One `ingest_files` row as the importer reads it (COLUMNS aliases every column to its schema name). */
export type IngestFileRow = IngestFileRecord;

const COLUMNS = `id, path, dir, rel_path AS "relPath", sha256, bytes, mtime, outcome, reason, byte_offset AS "byteOffset",
  format, run_id AS "runId", duplicate_of_file_id AS "duplicateOfFileId", raw_text AS "rawText",
  first_seen_at AS "firstSeenAt", last_seen_at AS "lastSeenAt"`;

/**
 * PostgreSQL text cannot hold U+0000 (SQLite's can): there a NUL in a file's raw text or in a reason quoting it is
 * stored as U+FFFD, the replacement character. The file's sha256 still names its exact bytes.
 */
function textForStore(sqlite: SqlClient): (text: string | null) => string | null {
  if (sqlite.dialect !== 'postgres') return (text) => text;
  return (text) => (text !== null && text.includes('\0') ? text.replaceAll('\0', '\uFFFD') : text);
}

/** Prepared statements over the ingest tables, one set per connection. */
export function ingestStatements(sqlite: SqlClient) {
  let cached = CACHE.get(sqlite);
  if (!cached) {
    cached = prepare(sqlite);
    CACHE.set(sqlite, cached);
  }
  return cached;
}

const CACHE = new WeakMap<SqlClient, ReturnType<typeof prepare>>();

function prepare(sqlite: SqlClient) {
  const byPath = sqlite.prepare(`SELECT ${COLUMNS} FROM ingest_files WHERE path = ?`);
  const byId = sqlite.prepare(`SELECT ${COLUMNS} FROM ingest_files WHERE id = ?`);
  /** Files with this content that carry a run, primaries (imported/updated) first, then missing ones. */
  const withRunBySha = sqlite.prepare(
    `SELECT ${COLUMNS} FROM ingest_files WHERE sha256 = ? AND run_id IS NOT NULL AND path <> ?
     ORDER BY CASE outcome WHEN 'imported' THEN 0 WHEN 'updated' THEN 0 WHEN 'missing' THEN 2 ELSE 1 END, id`,
  );
  const byRun = sqlite.prepare(`SELECT ${COLUMNS} FROM ingest_files WHERE run_id = ? ORDER BY id`);
  /** Without raw_text: a directory may hold 10,000s of files. */
  const underDir = sqlite.prepare(
    `SELECT ${COLUMNS.replace('raw_text AS "rawText"', 'NULL AS "rawText"')} FROM ingest_files WHERE dir = ? ORDER BY rel_path`,
  );
  const insert = sqlite.prepare(
    `INSERT INTO ingest_files (path, dir, rel_path, sha256, bytes, mtime, outcome, reason, byte_offset, format, run_id,
       duplicate_of_file_id, raw_text, first_seen_at, last_seen_at)
     VALUES (@path, @dir, @relPath, @sha256, @bytes, @mtime, @outcome, @reason, @byteOffset, @format, @runId,
       @duplicateOfFileId, @rawText, @firstSeenAt, @lastSeenAt)
     RETURNING id`,
  );
  const update = sqlite.prepare(
    `UPDATE ingest_files SET dir = @dir, rel_path = @relPath, sha256 = @sha256, bytes = @bytes, mtime = @mtime,
       outcome = @outcome, reason = @reason, byte_offset = @byteOffset, format = @format, run_id = @runId,
       duplicate_of_file_id = @duplicateOfFileId, raw_text = @rawText, last_seen_at = @lastSeenAt
     WHERE id = @id`,
  );
  const touch = sqlite.prepare(
    `UPDATE ingest_files SET last_seen_at = ?, dir = ?, rel_path = ? WHERE id = ?`,
  );
  const setOutcome = sqlite.prepare(
    `UPDATE ingest_files SET outcome = ?, reason = ?, duplicate_of_file_id = ?, last_seen_at = ? WHERE id = ?`,
  );
  const repointDuplicates = sqlite.prepare(
    `UPDATE ingest_files SET duplicate_of_file_id = ? WHERE duplicate_of_file_id = ? AND id <> ?`,
  );
  const insertVersion = sqlite.prepare(
    `INSERT INTO ingest_file_versions (file_id, sha256, raw_text, run_id, seen_at) VALUES (?, ?, ?, ?, ?)`,
  );
  const setSourceMissing = sqlite.prepare(`UPDATE runs SET source_missing = ? WHERE id = ?`);
  const runExists = sqlite.prepare(`SELECT 1 FROM runs WHERE id = ?`);
  const text = textForStore(sqlite);
  const runInfo = sqlite.prepare(`SELECT content_hash AS "contentHash", source FROM runs WHERE id = ?`);
  return {
    byPath: (path: string) => byPath.get(path) as IngestFileRow | undefined,
    byId: (id: number) => byId.get(id) as IngestFileRow | undefined,
    withRunBySha: (sha: string, exceptPath: string) => withRunBySha.all(sha, exceptPath) as IngestFileRow[],
    byRun: (runId: string) => byRun.all(runId) as IngestFileRow[],
    underDir: (dir: string) => underDir.all(dir) as IngestFileRow[],
    insert: (row: Omit<IngestFileRow, 'id'>) =>
      Number(insert.run({ ...row, rawText: text(row.rawText), reason: text(row.reason) }).lastInsertRowid),
    update: (row: Omit<IngestFileRow, 'firstSeenAt'>) =>
      update.run({ ...row, rawText: text(row.rawText), reason: text(row.reason) }),
    touch: (id: number, at: number, dir: string, relPath: string) => touch.run(at, dir, relPath, id),
    setOutcome: (
      id: number,
      outcome: IngestOutcome,
      reason: string | null,
      duplicateOf: number | null,
      at: number,
    ) => setOutcome.run(outcome, text(reason), duplicateOf, at, id),
    repointDuplicates: (toId: number, fromId: number) => repointDuplicates.run(toId, fromId, toId),
    insertVersion: (
      fileId: number,
      sha: string | null,
      rawText: string | null,
      runId: string | null,
      at: number,
    ) => insertVersion.run(fileId, sha, text(rawText), runId, at),
    setSourceMissing: (runId: string, missing: boolean) => setSourceMissing.run(missing ? 1 : 0, runId),
    runExists: (runId: string) => runExists.get(runId) !== undefined,
    /** The run's canonical content hash and source, if the run exists. */
    runInfo: (runId: string) =>
      runInfo.get(runId) as { contentHash: string | null; source: string } | undefined,
  };
}
