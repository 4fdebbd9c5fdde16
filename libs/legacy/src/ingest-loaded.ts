import type { Tracker } from '@kelly/tracking';
import { fromRow, logLine, type IngestDecision, type IngestOptions } from './ingest-decision';
import { ingestLegacyFile } from './ingest-file';
import { ingestStatements } from './ingest-store';
import { MAX_LEGACY_FILE_BYTES, type Loaded } from './load-legacy-file';
import { markMissing } from './mark-missing';
import type { PreparedLegacyFile } from './prepare-file';
import { recordUnparseable } from './record-unparseable';

/**
 * Imports one file as `loadLegacyFile` read it (bytes, or why there are none), into the records of `root`, on its
 * own (its own savepoint inside a batch's transaction): the one step after reading of the watcher, the server's
 * legacy-files route, and a pass's files that need the per-file rules (see ingestBatch). `prepared`: the file's
 * bytes already worked out. Never throws.
 */
export function ingestLoaded(
  tracker: Tracker,
  root: string,
  loaded: Loaded,
  options: IngestOptions,
  prepared?: PreparedLegacyFile,
): IngestDecision {
  if (loaded.kind === 'file') return ingestLegacyFile(tracker, loaded.input, options, prepared);
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
