import { lstat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { Tracker } from '@kelly/tracking';
import type { IngestDirResult } from './ingest-dir';
import { localIngestTarget, type IngestTarget } from './ingest-target';
import { watchDirTree, type DirTreeWatch } from './dir-tree-watch';
import {
  isIgnoredLegacyDir,
  isIgnoredLegacyPath,
  relPathOf,
  SYMLINK_SKIP_REASON,
  type SkippedPath,
} from './legacy-files';
import type { IngestDecision, IngestOptions } from './ingest-decision';

export interface WatchLegacyDirOptions {
  /** One line per decision and per watcher event of note (default: none). */
  log?: (line: string) => void;
  /** See `IngestOptions.onDocument` (e.g. `registryModelHistory(tracker)`). */
  onDocument?: IngestOptions['onDocument'];
  /** Called after every decision that changed a record (tests, progress). */
  onDecision?: (decision: IngestDecision) => void;
  /** Called once per symbolic link met (never followed). */
  onSkipped?: (skipped: SkippedPath) => void;
  /** A file counts as written when its size has not changed for this long (ms, default 1000). */
  stabilityMs?: number;
  /** How often the size is polled while waiting for stability (ms, default 100). */
  pollMs?: number;
  /** Heartbeat into the `watchers` table (ms, default 10000). */
  heartbeatMs?: number;
  /** Full rescan as a safety net for events a synced folder (OneDrive) may drop (ms, default 600000; 0 = never). */
  rescanMs?: number;
  /**
   * How long `close()` waits for pending work before giving it up (ms, default 10000): only a remote target
   * waiting for an unreachable server takes that long; what it gives up is sent at the next start's scan.
   */
  closeTimeoutMs?: number;
}

export interface LegacyDirWatcher {
  dir: string;
  /** Row id in the `watchers` table. */
  watcherId: number;
  /**
   * The initial scan's totals and skipped paths; its `files` is empty (each changed file went to `onDecision`,
   * so a folder of 100,000 files is never held as a list).
   */
  initial: IngestDirResult;
  /** Folders watched now (one OS watch each; files cost none). */
  watchedFolders(): number;
  /** Resolves when every event received so far has settled and been handled. */
  idle(): Promise<void>;
  /** Stops watching, waits for pending work, marks the watcher stopped. */
  close(): Promise<void>;
}

/**
 * Watches `dir` recursively: runs one full `ingestDir` pass, then watches every folder (one `fs.watch` per folder,
 * see dir-tree-watch.ts) and imports every added or changed file once it has stopped changing, marks deleted ones
 * missing, one at a time in arrival order. Symbolic links are never followed (reported as skipped); files over
 * MAX_LEGACY_FILE_BYTES are recorded as too large without being read. Records its heartbeat and last scan in
 * the `watchers` table. Never throws for a bad file.
 */
export function watchLegacyDir(
  tracker: Tracker,
  dir: string,
  options: WatchLegacyDirOptions = {},
): Promise<LegacyDirWatcher> {
  return watchLegacyDirInto(localIngestTarget(tracker), dir, options);
}

/**
 * `watchLegacyDir` into any target: the local store, or a Kelly server (`remoteIngestTarget`), which is sent
 * every file this watcher reads and imports it with the same pipeline.
 */
export async function watchLegacyDirInto(
  target: IngestTarget,
  dir: string,
  options: WatchLegacyDirOptions = {},
): Promise<LegacyDirWatcher> {
  const root = resolve(dir);
  const log = options.log ?? (() => undefined);
  const watcherId = await target.startWatcher(root);
  const ingestOptions: IngestOptions = { log, onDocument: options.onDocument };
  const stabilityMs = options.stabilityMs ?? 1000;
  const pollMs = options.pollMs ?? 100;
  let queue: Promise<void> = Promise.resolve();
  const enqueue = (job: () => unknown) => {
    queue = queue.then(job).then(
      () => undefined,
      (e: unknown) => log(`error: ${e instanceof Error ? e.message : String(e)}`),
    );
    return queue;
  };
  const decided = (d: IngestDecision) => {
    options.onDecision?.(d);
  };
  const skippedLinks = new Set<string>();
  const skip = (path: string, reason: string) => {
    if (skippedLinks.has(path)) return;
    skippedLinks.add(path);
    options.onSkipped?.({ path, relPath: relPathOf(root, path), reason });
    log(`skipped ${relPathOf(root, path)}: ${reason}`);
  };

  const scan = async (quick: boolean) => {
    const result = await target.ingestDir(root, {
      ...ingestOptions,
      quick,
      listFiles: false,
      onChangedFile: decided,
    });
    await target.heartbeat(watcherId, true);
    for (const s of result.skipped) if (!quick) skip(s.path, s.reason);
    return result;
  };
  // The full import runs before the folders are watched; a second, cheap pass once they are catches anything
  // written in between.
  const initial = await scan(false);
  // the import's garbage goes before the watch starts (a process started with --expose-gc, as the watcher is)
  (globalThis as { gc?: () => void }).gc?.();

  // A changed path waits until its size and mtime have not changed for stabilityMs (a file being written),
  // then is looked at once. `settling` holds the paths waiting; a path is never queued twice.
  const settling = new Map<string, { last: string; since: number }>();
  let poller: NodeJS.Timeout | undefined;
  const look = async (path: string) => {
    let st;
    try {
      st = await lstat(path);
    } catch {
      st = null;
    }
    if (!st) {
      if (tree.has(path)) {
        // a watched folder went away: its files are marked missing by a quick pass
        tree.removeTree(path);
        await scan(true);
      } else if (!isIgnoredLegacyPath(path)) {
        const d = await target.markMissing(root, path, ingestOptions);
        if (d.changed) decided(d);
      }
    } else if (st.isSymbolicLink()) {
      if (!isJunk(path)) skip(path, SYMLINK_SKIP_REASON);
    } else if (st.isDirectory()) {
      if (!tree.has(path) && !isIgnoredLegacyDir(basename(path))) {
        // a new (or moved-in) folder: watch it and import what it holds
        await tree.addTree(path);
        await scan(true);
      }
    } else if (st.isFile() && !isIgnoredLegacyPath(path)) {
      const d = await target.ingestFile(root, path, ingestOptions);
      if (d.changed) decided(d);
    }
  };
  const poll = async () => {
    poller = undefined;
    const now = Date.now();
    for (const [path, s] of settling) {
      let sig: string;
      try {
        const st = await lstat(path);
        sig = `${st.size}:${st.mtimeMs}:${st.mode}`;
      } catch {
        sig = 'gone';
      }
      if (sig !== s.last) settling.set(path, { last: sig, since: now });
      else if (now - s.since >= stabilityMs) {
        settling.delete(path);
        void enqueue(() => look(path));
      }
    }
    if (settling.size > 0 && !closed) poller = setTimeout(() => void poll(), pollMs);
  };
  const onPath = (path: string) => {
    if (closed || isJunk(path)) return;
    if (!settling.has(path)) settling.set(path, { last: '', since: Date.now() });
    poller ??= setTimeout(() => void poll(), pollMs);
  };
  const tree: DirTreeWatch = watchDirTree({
    onPath,
    onUnknown: () => void enqueue(() => scan(true)),
    onError: (d, e) => log(`watch error ${relPathOf(root, d) || '.'}: ${e.message}`),
  });
  let closed = false;
  await tree.addTree(root);
  await enqueue(async () => {
    const again = await scan(true);
    const known = Object.entries(again.totals)
      .filter(([k]) => k !== 'unchanged')
      .reduce((n, [, v]) => n + v, 0);
    log(`scanned ${root} into ${target.location}: ${known} file(s) known, ${summary(again)}`);
  });

  const heartbeat = setInterval(
    () => void target.heartbeat(watcherId, false).catch((e: unknown) => log(`heartbeat: ${String(e)}`)),
    options.heartbeatMs ?? 10_000,
  );
  const rescanMs = options.rescanMs ?? 600_000;
  const rescan = rescanMs > 0 ? setInterval(() => void enqueue(() => scan(true)), rescanMs) : undefined;
  heartbeat.unref();
  rescan?.unref();

  return {
    dir: root,
    watcherId,
    initial,
    watchedFolders: () => tree.size(),
    idle: async () => {
      let seen: Promise<void>;
      do {
        while (settling.size > 0) await new Promise((r) => setTimeout(r, pollMs));
        seen = queue;
        await seen;
      } while (seen !== queue || settling.size > 0);
    },
    close: async () => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      if (rescan) clearInterval(rescan);
      if (poller) clearTimeout(poller);
      settling.clear();
      tree.close();
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<void>((r) => (timer = setTimeout(r, options.closeTimeoutMs ?? 10_000)));
      await Promise.race([queue, late]);
      clearTimeout(timer);
      target.abort(); // a remote target still waiting gives up (status 0); nothing local is pending then
      await queue;
      await target.stopWatcher(watcherId);
    },
  };
}

/** AppleDouble files and .DS_Store: never looked at, not even reported. */
const isJunk = (path: string) => {
  const name = basename(path);
  return name.startsWith('._') || name === '.DS_Store';
};

function summary(r: IngestDirResult): string {
  return Object.entries(r.totals)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
}
