import { insertBulk, type SqlClient, type SqlStatement } from '@kelly/tracking';
import type { IngestFileRecord, IngestOutcome, RunStatus } from '@kelly/tracking/schema';

/** One `ingest_files` row as the importer reads it (COLUMNS aliases every column to its schema name). */
export type IngestFileRow = IngestFileRecord;

const COLUMNS = `id, path, dir, rel_path AS "relPath", sha256, bytes, mtime, outcome, reason, byte_offset AS "byteOffset",
  format, run_id AS "runId", duplicate_of_file_id AS "duplicateOfFileId", raw_text AS "rawText",
  first_seen_at AS "firstSeenAt", last_seen_at AS "lastSeenAt"`;
/** COLUMNS without the raw text (NULL in its place). */
const NO_TEXT = COLUMNS.replace('raw_text AS "rawText"', 'NULL AS "rawText"');
/** ingest_files columns written by insertMany, in its value order. */
const INSERT_COLUMNS = [
  'path',
  'dir',
  'rel_path',
  'sha256',
  'bytes',
  'mtime',
  'outcome',
  'reason',
  'byte_offset',
  'format',
  'run_id',
  'duplicate_of_file_id',
  'raw_text',
  'first_seen_at',
  'last_seen_at',
] as const;
/** Values per `IN (...)` lookup. */
const PER_LOOKUP = 250;

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
  const text = textForStore(sqlite);
  const byPath = sqlite.prepare(`SELECT ${COLUMNS} FROM ingest_files WHERE path = ?`);
  const byId = sqlite.prepare(`SELECT ${COLUMNS} FROM ingest_files WHERE id = ?`);
  /** Files with this content that carry a run, primaries (imported/updated) first, then missing ones. */
  const withRunBySha = sqlite.prepare(
    `SELECT ${COLUMNS} FROM ingest_files WHERE sha256 = ? AND run_id IS NOT NULL AND path <> ?
     ORDER BY CASE outcome WHEN 'imported' THEN 0 WHEN 'updated' THEN 0 WHEN 'missing' THEN 2 ELSE 1 END, id`,
  );
  const byRun = sqlite.prepare(`SELECT ${COLUMNS} FROM ingest_files WHERE run_id = ? ORDER BY id`);
  /** Without raw_text: a directory may hold 10,000s of files. */
  const underDir = sqlite.prepare(`SELECT ${NO_TEXT} FROM ingest_files WHERE dir = ? ORDER BY rel_path`);
  const outcomesUnderDir = sqlite.prepare(`SELECT path, outcome FROM ingest_files WHERE dir = ?`);
  /** A page of underDir in id order (after a given id: no index on dir needed) with each file's run status. */
  const underDirWithStatus = sqlite.prepare(
    `SELECT f.id, f.path, f.dir, f.rel_path AS "relPath", f.sha256, f.bytes, f.mtime, f.outcome, f.reason,
       f.byte_offset AS "byteOffset", f.format, f.run_id AS "runId", f.duplicate_of_file_id AS "duplicateOfFileId",
       NULL AS "rawText", f.first_seen_at AS "firstSeenAt", f.last_seen_at AS "lastSeenAt", r.status AS "runStatus"
     FROM ingest_files f LEFT JOIN runs r ON r.id = f.run_id WHERE f.dir = ? AND f.id > ? ORDER BY f.id LIMIT ?`,
  );
  /** `SELECT … WHERE column IN (?, …)` for n values, prepared once per n. */
  const inLists = new Map<string, SqlStatement>();
  const inList = (select: string, n: number, pluck = false) => {
    const key = `${select}×${n}`;
    let st = inLists.get(key);
    if (!st) {
      st = sqlite.prepare(`${select} (${Array.from({ length: n }, () => '?').join(', ')})`);
      if (pluck) st.pluck();
      inLists.set(key, st);
    }
    return st;
  };
  const lookUp = <T>(select: string, values: readonly string[], pluck = false): T[] => {
    const rows: T[] = [];
    for (let i = 0; i < values.length; i += PER_LOOKUP) {
      const chunk = values.slice(i, i + PER_LOOKUP);
      for (const row of inList(select, chunk.length, pluck).all(...chunk) as T[]) rows.push(row);
    }
    return rows;
  };
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
  const runInfo = sqlite.prepare(`SELECT content_hash AS "contentHash", source FROM runs WHERE id = ?`);
  return {
    byPath: (path: string) => byPath.get(path) as IngestFileRow | undefined,
    byId: (id: number) => byId.get(id) as IngestFileRow | undefined,
    withRunBySha: (sha: string, exceptPath: string) => withRunBySha.all(sha, exceptPath) as IngestFileRow[],
    byRun: (runId: string) => byRun.all(runId) as IngestFileRow[],
    underDir: (dir: string) => underDir.all(dir) as IngestFileRow[],
    /** Path and outcome of every record under `dir`, one row at a time (no other statement may run meanwhile). */
    iterateOutcomesUnderDir: (dir: string) =>
      outcomesUnderDir.iterate(dir) as IterableIterator<Pick<IngestFileRow, 'path' | 'outcome'>>,
    /**
     * underDir a page at a time in id order (a watched folder may hold 100,000 files), with each file's run
     * status; the connection is free between pages, so the caller may write while it walks.
     */
    *pagesUnderDir(dir: string, pageSize = 1000) {
      for (let after = 0; ;) {
        const page = underDirWithStatus.all(dir, after, pageSize) as (IngestFileRow & {
          runStatus: RunStatus | null;
        })[];
        if (page.length === 0) return;
        yield page;
        if (page.length < pageSize) return;
        after = page[page.length - 1]!.id;
      }
    },
    /** The records of these paths (raw text left out), by path. */
    byPaths: (paths: readonly string[]) =>
      new Map(
        lookUp<IngestFileRow>(`SELECT ${NO_TEXT} FROM ingest_files WHERE path IN`, paths).map((r) => [
          r.path,
          r,
        ]),
      ),
    /** Which of these run ids the store holds. */
    runsAmong: (ids: readonly string[]) =>
      new Set(lookUp<string>(`SELECT id FROM runs WHERE id IN`, ids, true)),
    /** Inserts new records (see insertBulk; no ids returned). */
    insertMany: (rows: readonly Omit<IngestFileRow, 'id'>[]) =>
      insertBulk(
        sqlite,
        'ingest_files',
        INSERT_COLUMNS,
        rows.map((r) => [
          r.path,
          r.dir,
          r.relPath,
          r.sha256,
          r.bytes,
          r.mtime,
          r.outcome,
          text(r.reason),
          r.byteOffset,
          r.format,
          r.runId,
          r.duplicateOfFileId,
          text(r.rawText),
          r.firstSeenAt,
          r.lastSeenAt,
        ]),
      ),
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
