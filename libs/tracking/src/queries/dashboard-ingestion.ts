import { hostname } from 'node:os';
import { INGEST_OUTCOMES, type IngestOutcome } from '../db/schema';
import type { Tracker } from '../tracker';

/** One legacy file as the Ingestion page lists it. Times are Unix ms. */
export interface IngestFileView {
  id: number;
  path: string;
  relPath: string;
  dir: string;
  outcome: IngestOutcome;
  reason: string | null;
  byteOffset: number | null;
  format: string | null;
  runId: string | null;
  lastSeenAt: number;
}

export interface WatcherView {
  id: number;
  dir: string;
  pid: number | null;
  host: string | null;
  startedAt: number;
  heartbeatAt: number | null;
  lastScanAt: number | null;
  stoppedAt: number | null;
  /** Not stopped, heartbeat within the stale window, and (same host) its pid alive. */
  running: boolean;
}

export interface IngestionOverview {
  files: IngestFileView[];
  totals: Record<IngestOutcome, number>;
  watchers: WatcherView[];
  /** Newest `last_seen_at` of any file (null when nothing was ingested). */
  lastSeenAt: number | null;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * What the dashboard's Ingestion page shows: every ingest record (newest first, at most `limit`), the count per
 * outcome, and the watchers with whether each is running now.
 */
export function ingestionOverview(tracker: Tracker, options: { limit?: number; now?: number } = {}): IngestionOverview {
  const { sqlite } = tracker;
  const now = options.now ?? Date.now();
  const files = sqlite
    .prepare(
      `SELECT id, path, rel_path AS relPath, dir, outcome, reason, byte_offset AS byteOffset, format, run_id AS runId,
         last_seen_at AS lastSeenAt FROM ingest_files ORDER BY last_seen_at DESC, id DESC LIMIT ?`,
    )
    .all(options.limit ?? 5000) as IngestFileView[];
  const totals = Object.fromEntries(INGEST_OUTCOMES.map((o) => [o, 0])) as Record<IngestOutcome, number>;
  for (const r of sqlite.prepare(`SELECT outcome, count(*) AS n FROM ingest_files GROUP BY outcome`).all() as { outcome: IngestOutcome; n: number }[])
    totals[r.outcome] = r.n;
  const staleMs = tracker.settings.staleAfterS * 1000;
  const me = hostname();
  const watchers = (
    sqlite
      .prepare(
        `SELECT id, dir, pid, host, started_at AS startedAt, heartbeat_at AS heartbeatAt, last_scan_at AS lastScanAt,
           stopped_at AS stoppedAt FROM watchers ORDER BY started_at DESC LIMIT 20`,
      )
      .all() as Omit<WatcherView, 'running'>[]
  ).map((w) => ({
    ...w,
    running:
      w.stoppedAt === null &&
      now - (w.heartbeatAt ?? w.startedAt) < staleMs &&
      (w.host !== me || w.pid === null || pidAlive(w.pid)),
  }));
  const last = sqlite.prepare(`SELECT max(last_seen_at) AS t FROM ingest_files`).get() as { t: number | null };
  return { files, totals, watchers, lastSeenAt: last.t };
}
