import { readdir } from 'node:fs/promises';
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

/** Relative path with `/` separators. */
export function relPathOf(dir: string, path: string): string {
  return relative(dir, path).split(sep).join('/');
}

/** Every candidate file under `dir`, recursively, absolute paths, in import order (see `importOrder`). */
export async function listLegacyFiles(dir: string): Promise<string[]> {
  const root = resolve(dir);
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((d) => d.isFile() && !isIgnoredLegacyPath(d.name))
    .map((d) => join(d.parentPath, d.name))
    .filter(
      (p) =>
        !relPathOf(root, p)
          .split('/')
          .some((part) => part.startsWith('._')),
    );
  return files.sort(importOrder);
}

/** Names that look like a run log (`…_YYYYMMDD_HHMMSS.json`) first, so copies (`… copy.json`) come after. */
function importOrder(a: string, b: string): number {
  const canonical = (p: string) => (/_\d{8}_\d{6}\.json$/i.test(p) ? 0 : 1);
  return canonical(a) - canonical(b) || (a < b ? -1 : a > b ? 1 : 0);
}
