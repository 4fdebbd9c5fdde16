import type { Tracker } from '@kelly/tracking';
import type { IngestDecision, IngestDirOptions, IngestOptions } from './ingest-decision';
import { ingestDir, ingestFile, type IngestDirResult } from './ingest-dir';
import { heartbeatWatcher, startWatcherRecord, stopWatcherRecord } from './ingest-queries';
import { markMissing } from './mark-missing';

/**
 * Where a pass or a watcher puts what it reads: the local store (`localIngestTarget`) or a Kelly server
 * (`remoteIngestTarget`). Both read the folder the same way (scanLegacyDir, loadLegacyFile); only the import
 * happens in this process or on the server, with the same pipeline.
 */
export interface IngestTarget {
  /** Where the records go (the store's file or the server's URL), for log lines. */
  readonly location: string;
  /** One pass over `root` (see ingestDir); `dir` of the result is the records' key of `root`. */
  ingestDir(root: string, options: IngestDirOptions): Promise<IngestDirResult>;
  /** Reads `path` (under `root`) and imports it, or marks it missing if it is gone. */
  ingestFile(root: string, path: string, options: IngestOptions): Promise<IngestDecision>;
  /** `path` (under `root`) was deleted. */
  markMissing(root: string, path: string, options: IngestOptions): Promise<IngestDecision>;
  /** Records a watcher of `root` in the `watchers` table; its id. */
  startWatcher(root: string): Promise<number>;
  heartbeat(id: number, scanned: boolean): Promise<void>;
  stopWatcher(id: number): Promise<void>;
  /** Gives up on work still waiting (a server that does not answer); later calls fail at once. */
  abort(): void;
}

/** The local store as a target: the functions of ingest-dir.ts, mark-missing.ts and ingest-queries.ts. */
export function localIngestTarget(tracker: Tracker): IngestTarget {
  return {
    location: tracker.location,
    ingestDir: (root, options) => ingestDir(tracker, root, options),
    ingestFile: (root, path, options) => ingestFile(tracker, root, path, options),
    markMissing: (_root, path, options) => Promise.resolve(markMissing(tracker, path, options)),
    startWatcher: (root) => Promise.resolve(startWatcherRecord(tracker, root)),
    heartbeat: (id, scanned) => Promise.resolve(heartbeatWatcher(tracker, id, { scanned })),
    stopWatcher: (id) => Promise.resolve(stopWatcherRecord(tracker, id)),
    abort: () => undefined,
  };
}
