import { lstat, readdir } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';

/**
 * Files the importer never looks at: macOS AppleDouble (`._*`), `.DS_Store`, editor temp files
 * (`*.swp`, `*.swx`, `*~`, `.#*`, `*.tmp`), partial downloads; and anything that is not `*.json`
 * (run logs are always `{run_id}.json`; a README or a `.log` next to them is not a run).
 */
export function isIgnoredLegacyPath(path: string): boolean {
  const name = basename(path);
  if (name.startsWith('._') || name === '.DS_Store' || name.startsWith('.#')) return true;
  if (/\.(swp|swx|tmp|crdownload|part)$/i.test(name) || name.endsWith('~')) return true;
  return !name.toLowerCase().endsWith('.json');
}

/** Folders never walked: AppleDouble folders, VCS and package folders. */
export function isIgnoredLegacyDir(name: string): boolean {
  return name.startsWith('._') || name === 'node_modules' || name === '.git';
}

/** Relative path with `/` separators. */
export function relPathOf(dir: string, path: string): string {
  return relative(dir, path).split(sep).join('/');
}

/** A path the walk did not follow, with why (reported, never imported). */
export interface SkippedPath {
  path: string;
  relPath: string;
  reason: string;
}

/** Why a symbolic link is skipped: a link can lead anywhere on the disk, so links are never followed. */
export const SYMLINK_SKIP_REASON = 'a symbolic link: not followed (it may point outside the watched folder)';

/**
 * Every candidate file under `dir`, recursively, absolute paths, in import order (see `importOrder`), and the
 * symbolic links met on the way (never followed, whether they point at a file or a folder, inside or out).
 */
export async function scanLegacyDir(dir: string): Promise<{ files: string[]; skipped: SkippedPath[] }> {
  const root = resolve(dir);
  const files: string[] = [];
  const skipped: SkippedPath[] = [];
  const pending = [root];
  for (let d = pending.pop(); d !== undefined; d = pending.pop()) {
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch (e) {
      // the root must be readable (the caller reports it); a subfolder that vanished or is unreadable is skipped
      if (d === root) throw e;
      skipped.push({
        path: d,
        relPath: relPathOf(root, d),
        reason: `cannot list the folder: ${(e as Error).message}`,
      });
      continue;
    }
    for (const e of entries) {
      const path = join(d, e.name);
      if (e.isSymbolicLink()) {
        if (!e.name.startsWith('._') && e.name !== '.DS_Store')
          skipped.push({ path, relPath: relPathOf(root, path), reason: SYMLINK_SKIP_REASON });
      } else if (e.isDirectory()) {
        if (!isIgnoredLegacyDir(e.name)) pending.push(path);
      } else if (e.isFile() && !isIgnoredLegacyPath(e.name)) files.push(path);
    }
  }
  skipped.sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));
  return { files: files.sort(importOrder), skipped };
}

/** Every candidate file under `dir` (see scanLegacyDir; symbolic links are not followed). */
export async function listLegacyFiles(dir: string): Promise<string[]> {
  return (await scanLegacyDir(dir)).files;
}

/** True when `path` is a symbolic link (false if it is gone). */
export async function isSymlink(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Names that look like a run log (`…_YYYYMMDD_HHMMSS.json`) first, so copies (`… copy.json`) come after. */
function importOrder(a: string, b: string): number {
  const canonical = (p: string) => (/_\d{8}_\d{6}\.json$/i.test(p) ? 0 : 1);
  return canonical(a) - canonical(b) || (a < b ? -1 : a > b ? 1 : 0);
}
