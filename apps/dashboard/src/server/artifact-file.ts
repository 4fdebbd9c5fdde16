import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * Resolves an artifact path (relative to the artifact root) to a regular file INSIDE the root, following
 * symlinks. Returns null for anything else: absolute paths, `..` escapes, symlinks pointing out, missing
 * files, directories. The download route turns null into 404.
 */
export function resolveArtifactFile(artifactRoot: string, relPath: string): string | null {
  if (!relPath || isAbsolute(relPath) || relPath.includes('\0')) return null;
  let root: string;
  let file: string;
  try {
    root = realpathSync(artifactRoot);
    file = realpathSync(resolve(root, relPath));
  } catch {
    return null;
  }
  const rel = relative(root, file);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) return null;
  try {
    return statSync(file).isFile() ? file : null;
  } catch {
    return null;
  }
}
