import { resolve } from 'node:path';
import { withBusyRetry } from '@kelly/tracking';
import type { Tracker } from '@kelly/tracking';
import { dirRecords, totalsOf, type DirFileReport, type IngestTotals } from './dir-report';
import { fromRow, logLine, type IngestDecision, type IngestOptions } from './ingest-decision';
import { ingestLegacyFile } from './ingest-file';
import { ingestStatements } from './ingest-store';
import { scanLegacyDir, type SkippedPath } from './legacy-files';
import { loadLegacyFile, MAX_LEGACY_FILE_BYTES, type KnownStat, type Loaded } from './load-legacy-file';
import { markMissing } from './mark-missing';
import { recordUnparseable } from './record-unparseable';

/**
 * Imports one file as `loadLegacyFile` read it (bytes, or why there are none), into the records of `root`. The one
 * step after reading of every pass, the watcher and the server's legacy-files route. Never throws.
 */
export function ingestLoaded(
  tracker: Tracker,
  root: string,
  loaded: Loaded,
  options: IngestOptions,
): IngestDecision {
  if (loaded.kind === 'file') return ingestLegacyFile(tracker, loaded.input, options);
  if (loaded.kind === 'same') {
    const st = ingestStatements(tracker.sql);
    st.touch(loaded.id, options.now?.() ?? Date.now(), root, loaded.relPath);
    return fromRow(st.byId(loaded.id)!, false);
  }
  if (loaded.kind === 'gone') return markMissing(tracker, loaded.path, options);
  if (loaded.kind === 'tooLarge') {
    const d = recordUnparseable(
      tracker,
      {
        path: loaded.path,
        dir: root,
        relPath: loaded.relPath,
        sha256: null,
        bytes: loaded.size,
        mtime: loaded.mtimeMs,
        rawText: null,
      },
      `too large: ${loaded.size} bytes, over the ${MAX_LEGACY_FILE_BYTES}-byte limit of a legacy file; not read`,
      options.now?.() ?? Date.now(),
    );
    options.log?.(logLine(d));
    return d;
  }
  const d = recordUnparseable(
    tracker,
    {
      path: loaded.path,
      dir: root,
      relPath: loaded.relPath,
      sha256: null,
      bytes: null,
      mtime: null,
      rawText: null,
    },
    `cannot read the file: ${loaded.error}`,
    options.now?.() ?? Date.now(),
  );
  options.log?.(logLine(d));
  return d;
}

/** Reads one file from disk and imports it; a file that vanished is marked missing. Never throws. */
export async function ingestFile(
  tracker: Tracker,
  dir: string,
  path: string,
  options: IngestOptions = {},
): Promise<IngestDecision> {
  const root = resolve(dir);
  return ingestLoaded(tracker, root, await loadLegacyFile(root, path), options);
}

/** Files per import transaction in `ingestDir`. */
const BATCH_FILES = 200;

export interface IngestDirResult {
  dir: string;
  /** Every file under `dir` known to the store after the pass, including ones now missing, with its run's status. */
  files: DirFileReport[];
  totals: IngestTotals;
  /** Symbolic links met (never followed) and subfolders that could not be listed: reported, not recorded. */
  skipped: SkippedPath[];
}

/**
 * One pass over `dir`: imports every new or changed file, marks records of files no longer on disk as missing,
 * then reports every file with its recorded outcome. Never throws for a bad file (only if `dir` is unreadable).
 */
export async function ingestDir(
  tracker: Tracker,
  dir: string,
  options: IngestOptions = {},
): Promise<IngestDirResult> {
  const root = resolve(dir);
  const { files: onDisk, skipped } = await scanLegacyDir(root);
  if (!options.quick) for (const s of skipped) options.log?.(`skipped ${s.relPath}: ${s.reason}`);
  const changed = new Map<string, boolean>();
  const statOf = tracker.sql.prepare(`SELECT id, mtime, bytes, outcome FROM ingest_files WHERE path = ?`);
  const known = options.quick ? (path: string) => statOf.get(path) as KnownStat | undefined : undefined;
  // Files are read concurrently (the next batch while this one is written) and imported in batches, each batch
  // one transaction (savepoint per file).
  const read = (paths: string[]): Promise<Loaded[]> =>
    Promise.all(paths.map((p) => loadLegacyFile(root, p, known)));
  let next = read(onDisk.slice(0, BATCH_FILES));
  for (let i = 0; i < onDisk.length; i += BATCH_FILES) {
    const batch = await next;
    next = read(onDisk.slice(i + BATCH_FILES, i + 2 * BATCH_FILES));
    const decisions = withBusyRetry(() =>
      tracker.sql.transaction(() => batch.map((l) => ingestLoaded(tracker, root, l, options))).immediate(),
    );
    for (const d of decisions) changed.set(d.path, d.changed);
  }
  const present = new Set(onDisk);
  for (const row of ingestStatements(tracker.sql).underDir(root)) {
    if (!present.has(row.path) && row.outcome !== 'missing') {
      const d = markMissing(tracker, row.path, options);
      changed.set(row.path, d.changed);
    }
  }
  const files = dirRecords(tracker, root, changed).map(
    ({ id: _id, bytes: _bytes, mtime: _mtime, ...f }) => f,
  );
  return { dir: root, files, totals: totalsOf(files), skipped };
}
