import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { IngestOutcome } from '@kelly/tracking/schema';
import type { LegacyFileInput } from './ingest-decision';
import { relPathOf } from './legacy-files';

/** What the store knows of a file's size and mtime (for `quick` scans). */
export interface KnownStat {
  id: number;
  mtime: number | null;
  bytes: number | null;
  outcome: IngestOutcome;
}

/** One file as read from disk. */
export type Loaded =
  | { kind: 'file'; input: LegacyFileInput }
  | { kind: 'same'; path: string; relPath: string; id: number }
  | { kind: 'gone'; path: string }
  | { kind: 'unreadable'; path: string; relPath: string; error: string };

/** Reads one file (stat + bytes). Never throws. */
export async function loadLegacyFile(
  root: string,
  path: string,
  known?: (path: string) => KnownStat | undefined,
): Promise<Loaded> {
  const abs = resolve(root, path);
  const relPath = relPathOf(root, abs);
  try {
    const s = await stat(abs);
    const seen = known?.(abs);
    if (seen && seen.outcome !== 'missing' && seen.mtime === Math.round(s.mtimeMs) && seen.bytes === s.size) {
      return { kind: 'same', path: abs, relPath, id: seen.id };
    }
    const bytes = await readFile(abs);
    return { kind: 'file', input: { path: abs, dir: root, relPath, bytes, mtimeMs: Math.round(s.mtimeMs) } };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'gone', path: abs };
    // unreadable (permissions, a directory named *.json, I/O error): recorded with the reason
    return { kind: 'unreadable', path: abs, relPath, error: e instanceof Error ? e.message : String(e) };
  }
}
