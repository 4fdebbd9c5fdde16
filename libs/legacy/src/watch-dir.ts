import { watch, type FSWatcher } from 'chokidar';
import { basename, resolve } from 'node:path';
import type { Tracker } from '@kelly/tracking';
import { ingestDir, ingestFile, type IngestDirResult } from './ingest-dir';
import { isIgnoredLegacyPath } from './legacy-files';
import { markMissing } from './mark-missing';
import type { IngestDecision, IngestOptions } from './ingest-decision';
import { heartbeatWatcher, startWatcherRecord, stopWatcherRecord } from './ingest-queries';

export interface WatchLegacyDirOptions {
  /** One line per decision and per watcher event of note (default: none). */
  log?: (line: string) => void;
  /** See `IngestOptions.onDocument` (e.g. `registryModelHistory(tracker)`). */
  onDocument?: IngestOptions['onDocument'];
  /** Called after every decision (tests, progress). */
  onDecision?: (decision: IngestDecision) => void;
  /** A file counts as written when its size has not changed for this long (ms, default 1000). */
  stabilityMs?: number;
  /** How often the size is polled while waiting for stability (ms, default 100). */
  pollMs?: number;
  /** Heartbeat into the `watchers` table (ms, default 10000). */
  heartbeatMs?: number;
  /** Full rescan as a safety net for events a synced folder (OneDrive) may drop (ms, default 600000; 0 = never). */
  rescanMs?: number;
}

export interface LegacyDirWatcher {
  dir: string;
  /** Row id in the `watchers` table. */
  watcherId: number;
  /** The initial scan's result. */
  initial: IngestDirResult;
  /** Resolves when every event received so far has been handled. */
  idle(): Promise<void>;
  /** Stops watching, waits for pending work, marks the watcher stopped. */
  close(): Promise<void>;
}

/** chokidar `ignored`: AppleDouble, .DS_Store and editor temp files; non-JSON files (directories are walked). */
function ignored(path: string, stats?: { isFile(): boolean }): boolean {
  const name = basename(path);
  if (name.startsWith('._') || name === '.DS_Store' || name === 'node_modules' || name === '.git')
    return true;
  return stats?.isFile() === true && isIgnoredLegacyPath(path);
}

/**
 * Watches `dir` recursively: starts chokidar (waiting for files to finish being written), runs one full
 * `ingestDir` pass, then imports every added or changed file and marks deleted ones missing, one at a time
 * in arrival order. Records its heartbeat and last scan in the `watchers` table. Never throws for a bad file.
 */
export async function watchLegacyDir(
  tracker: Tracker,
  dir: string,
  options: WatchLegacyDirOptions = {},
): Promise<LegacyDirWatcher> {
  const root = resolve(dir);
  const log = options.log ?? (() => undefined);
  const watcherId = startWatcherRecord(tracker, root);
  const ingestOptions: IngestOptions = { log, onDocument: options.onDocument };
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

  const scan = async (quick: boolean) => {
    const result = await ingestDir(tracker, root, { ...ingestOptions, quick });
    heartbeatWatcher(tracker, watcherId, { scanned: true });
    return result;
  };
  // The full import runs before chokidar walks the tree (their memory peaks do not add up); a second,
  // cheap pass once chokidar is ready catches anything written in between.
  const initial = await scan(false);
  for (const f of initial.files) if (f.changed) decided(f);
  // The import's garbage goes before chokidar builds its per-file state (a process started with --expose-gc,
  // as the watcher is: peak RSS with 10,000 files 199-200 MB without this, 193 MB with it).
  (globalThis as { gc?: () => void }).gc?.();

  const watcher: FSWatcher = watch(root, {
    ignoreInitial: true,
    persistent: true,
    ignored,
    awaitWriteFinish: {
      stabilityThreshold: options.stabilityMs ?? 1000,
      pollInterval: options.pollMs ?? 100,
    },
  });
  const onFile = (path: string) => {
    if (isIgnoredLegacyPath(path)) return;
    void enqueue(async () => decided(await ingestFile(tracker, root, path, ingestOptions)));
  };
  watcher.on('add', onFile);
  watcher.on('change', onFile);
  watcher.on('unlink', (path) => {
    if (isIgnoredLegacyPath(path)) return;
    void enqueue(() => decided(markMissing(tracker, resolve(path), ingestOptions)));
  });
  watcher.on('error', (e) => log(`watch error: ${e instanceof Error ? e.message : String(e)}`));
  await new Promise<void>((ready) => watcher.once('ready', ready));
  await enqueue(async () => {
    const again = await scan(true);
    for (const f of again.files) if (f.changed) decided(f);
    log(`scanned ${root}: ${again.files.length} file(s) known, ${summary(again)}`);
  });

  const heartbeat = setInterval(() => heartbeatWatcher(tracker, watcherId), options.heartbeatMs ?? 10_000);
  const rescanMs = options.rescanMs ?? 600_000;
  const rescan = rescanMs > 0 ? setInterval(() => void enqueue(() => scan(true)), rescanMs) : undefined;
  heartbeat.unref();
  rescan?.unref();

  let closed = false;
  return {
    dir: root,
    watcherId,
    initial,
    idle: async () => {
      let seen: Promise<void>;
      do {
        seen = queue;
        await seen;
      } while (seen !== queue);
    },
    close: async () => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      if (rescan) clearInterval(rescan);
      await watcher.close();
      await queue;
      stopWatcherRecord(tracker, watcherId);
    },
  };
}

function summary(r: IngestDirResult): string {
  return Object.entries(r.totals)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
}
