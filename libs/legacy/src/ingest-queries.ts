import { hostname } from 'node:os';
import { z } from 'zod';
import {
  INGEST_OUTCOMES,
  type ingestFileVersions,
  type IngestFileRecord,
  type IngestOutcome,
} from '@kelly/tracking/schema';
import { withBusyRetry } from '@kelly/tracking';
import type { Tracker } from '@kelly/tracking';
import { sourceHostOf } from './remote-wire';

/** One ingestion record as the dashboard's Ingestion page and `kelly ingest` show it. Times are epoch ms. */
export type IngestRecord = Omit<IngestFileRecord, 'mtime' | 'duplicateOfFileId' | 'rawText'> & {
  /** Relative path of the file this one duplicates. */
  duplicateOf: string | null;
  /** Number of earlier versions kept (the file changed after it was first imported). */
  versions: number;
  /** The machine a remote watcher sent the file from (`path` is `host:/abs/path`); null when read here. */
  host: string | null;
};

export const ListIngestFilesSchema = z.object({
  dir: z.string().optional(),
  outcome: z.enum(INGEST_OUTCOMES).optional(),
  /** Files of one run: the one it shows, its duplicates and the files in conflict with it. */
  runId: z.string().optional(),
  /** Substring of the relative path or the reason. */
  text: z.string().optional(),
  limit: z.number().int().min(1).max(1000).default(200),
  /** The `nextCursor` of the previous page. */
  cursor: z.number().int().optional(),
});
export type ListIngestFilesInput = z.input<typeof ListIngestFilesSchema>;

/** Ingestion records, newest first (by last time seen, then id), cursor-paginated. */
export function listIngestFiles(
  tracker: Tracker,
  input: ListIngestFilesInput = {},
): { items: IngestRecord[]; nextCursor: number | null; totals: Record<IngestOutcome, number> } {
  const q = ListIngestFilesSchema.parse(input);
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (q.dir !== undefined) {
    where.push('f.dir = ?');
    args.push(q.dir);
  }
  if (q.runId !== undefined) {
    where.push('f.run_id = ?');
    args.push(q.runId);
  }
  if (q.outcome) {
    where.push('f.outcome = ?');
    args.push(q.outcome);
  }
  if (q.text) {
    where.push(`(f.rel_path LIKE ? ESCAPE '\\' OR f.reason LIKE ? ESCAPE '\\')`);
    const like = `%${q.text.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
    args.push(like, like);
  }
  const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const page = q.cursor !== undefined ? `${filter ? `${filter} AND` : 'WHERE'} f.id < ?` : filter;
  const rows = tracker.sql
    .prepare(
      `SELECT f.id, f.path, f.dir, f.rel_path AS "relPath", f.sha256, f.bytes, f.outcome, f.reason,
         f.byte_offset AS "byteOffset", f.format, f.run_id AS "runId", d.rel_path AS "duplicateOf",
         (SELECT count(*) FROM ingest_file_versions v WHERE v.file_id = f.id) AS versions,
         f.first_seen_at AS "firstSeenAt", f.last_seen_at AS "lastSeenAt"
       FROM ingest_files f LEFT JOIN ingest_files d ON d.id = f.duplicate_of_file_id
       ${page} ORDER BY f.id DESC LIMIT ?`,
    )
    .all(...args, ...(q.cursor !== undefined ? [q.cursor] : []), q.limit + 1) as Omit<IngestRecord, 'host'>[];
  const more = rows.length > q.limit;
  const items = rows.slice(0, q.limit).map((r) => ({ ...r, host: sourceHostOf(r.path) }));
  const totals = Object.fromEntries(INGEST_OUTCOMES.map((o) => [o, 0])) as Record<IngestOutcome, number>;
  for (const r of tracker.sql
    .prepare(`SELECT f.outcome, count(*) AS n FROM ingest_files f ${filter} GROUP BY f.outcome`)
    .all(...args) as { outcome: IngestOutcome; n: number }[])
    totals[r.outcome] = r.n;
  return { items, nextCursor: more ? (items[items.length - 1]?.id ?? null) : null, totals };
}

/** The raw text and earlier versions of one file (what the dashboard shows for a record). */
export function getIngestFile(
  tracker: Tracker,
  id: number,
): {
  rawText: string | null;
  versions: { sha256: string | null; rawText: string | null; runId: string | null; seenAt: number }[];
} | null {
  const row = tracker.sql.prepare(`SELECT raw_text AS "rawText" FROM ingest_files WHERE id = ?`).get(id) as
    { rawText: string | null } | undefined;
  if (!row) return null;
  const versions = tracker.sql
    .prepare(
      `SELECT sha256, raw_text AS "rawText", run_id AS "runId", seen_at AS "seenAt" FROM ingest_file_versions
       WHERE file_id = ? ORDER BY id DESC`,
    )
    .all(id) as Pick<typeof ingestFileVersions.$inferSelect, 'sha256' | 'rawText' | 'runId' | 'seenAt'>[];
  return { rawText: row.rawText, versions };
}

export interface WatcherStatus {
  id: number;
  dir: string;
  pid: number | null;
  host: string | null;
  startedAt: number;
  heartbeatAt: number | null;
  lastScanAt: number | null;
  stoppedAt: number | null;
  /** `running`: heartbeat within the stale window; `stale`: the process died without stopping; `stopped`. */
  state: 'running' | 'stale' | 'stopped';
}

/** Every watcher ever started, newest first, with its state judged against `staleAfterS` (default 60 s). */
export function listWatchers(
  tracker: Tracker,
  options: { staleAfterS?: number; now?: number } = {},
): WatcherStatus[] {
  const now = options.now ?? Date.now();
  const stale = (options.staleAfterS ?? tracker.settings.staleAfterS) * 1000;
  const rows = tracker.sql
    .prepare(
      `SELECT id, dir, pid, host, started_at AS "startedAt", heartbeat_at AS "heartbeatAt", last_scan_at AS "lastScanAt",
         stopped_at AS "stoppedAt" FROM watchers ORDER BY id DESC`,
    )
    .all() as Omit<WatcherStatus, 'state'>[];
  return rows.map((r) => ({
    ...r,
    state:
      r.stoppedAt !== null ? 'stopped' : now - (r.heartbeatAt ?? r.startedAt) > stale ? 'stale' : 'running',
  }));
}

/**
 * The watcher's own bookkeeping in the `watchers` table: start, heartbeat (with last scan), stop. `who`: the
 * watching process (default this one; a remote watcher's, on the server).
 */
export function startWatcherRecord(
  tracker: Tracker,
  dir: string,
  now = Date.now(),
  who: { host: string; pid: number } = { host: hostname(), pid: process.pid },
): number {
  return withBusyRetry(() =>
    Number(
      tracker.sql
        .prepare(
          `INSERT INTO watchers (dir, pid, host, started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
        )
        .run(dir, who.pid, who.host, now, now).lastInsertRowid,
    ),
  );
}

export function heartbeatWatcher(
  tracker: Tracker,
  id: number,
  options: { scanned?: boolean; now?: number } = {},
): void {
  const now = options.now ?? Date.now();
  withBusyRetry(() =>
    tracker.sql
      .prepare(
        `UPDATE watchers SET heartbeat_at = ?, last_scan_at = CASE WHEN ? = 1 THEN ? ELSE last_scan_at END WHERE id = ?`,
      )
      .run(now, options.scanned ? 1 : 0, now, id),
  );
}

export function stopWatcherRecord(tracker: Tracker, id: number, now = Date.now()): void {
  withBusyRetry(() =>
    tracker.sql
      .prepare(`UPDATE watchers SET stopped_at = ?, heartbeat_at = ? WHERE id = ?`)
      .run(now, now, id),
  );
}
