import { watch, type FSWatcher } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { isIgnoredLegacyDir } from './legacy-files';

/**
 * Watches a folder tree with ONE `fs.watch` per folder (inotify/FSEvents report every entry's changes to its
 * folder's watch), never one per file: 100,000 files in 100 folders cost 100 watches, not 100,000 (chokidar
 * keeps one per file, ~10 KB each). Symbolic links are never followed. Reports the path of every entry that
 * changed; the caller looks at what it is now (file, folder, link, gone).
 */
export interface DirTreeWatch {
  /** Starts watching `dir` and every folder below it (a folder that appears later: see addTree). */
  addTree(dir: string): Promise<void>;
  /** Stops watching `dir` and everything below it (it was deleted or moved away). */
  removeTree(dir: string): void;
  /** True when `dir` is watched. */
  has(dir: string): boolean;
  /** Number of folders watched. */
  size(): number;
  close(): void;
}

export function watchDirTree(handlers: {
  /** An entry of a watched folder changed (created, written, renamed, deleted). */
  onPath: (path: string) => void;
  /** A folder's watch reported an event without a name: rescan that folder. */
  onUnknown: (dir: string) => void;
  onError: (dir: string, error: Error) => void;
}): DirTreeWatch {
  const watchers = new Map<string, FSWatcher>();
  const watchOne = (dir: string) => {
    if (watchers.has(dir)) return;
    let w: FSWatcher;
    try {
      w = watch(dir, { persistent: true }, (_event, name) => {
        if (name === null) handlers.onUnknown(dir);
        else handlers.onPath(join(dir, name.toString()));
      });
    } catch (e) {
      handlers.onError(dir, e as Error);
      return;
    }
    w.on('error', (e) => {
      // the folder went away (or became unreadable): its parent's watch reports it
      watchers.get(dir)?.close();
      watchers.delete(dir);
      handlers.onError(dir, e);
    });
    watchers.set(dir, w);
  };
  return {
    async addTree(dir) {
      const pending = [dir];
      for (let d = pending.pop(); d !== undefined; d = pending.pop()) {
        watchOne(d);
        let entries;
        try {
          entries = await readdir(d, { withFileTypes: true });
        } catch {
          continue; // vanished meanwhile: its parent's watch says so
        }
        for (const e of entries)
          if (e.isDirectory() && !e.isSymbolicLink() && !isIgnoredLegacyDir(e.name))
            pending.push(join(d, e.name));
      }
    },
    removeTree(dir) {
      for (const [d, w] of watchers)
        if (d === dir || d.startsWith(dir + sep)) {
          w.close();
          watchers.delete(d);
        }
    },
    has: (dir) => watchers.has(dir),
    size: () => watchers.size,
    close() {
      for (const w of watchers.values()) w.close();
      watchers.clear();
    },
  };
}
