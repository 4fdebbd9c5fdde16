import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** sha256 of bytes (or of a string's UTF-8), as lowercase hex: the one content hash of the store and registry. */
export const sha256Hex = (data: Uint8Array | string): string =>
  createHash('sha256').update(data).digest('hex');

async function hashFile(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/**
 * sha256 (hex) and size in bytes of a file; for a directory, the sha256 of its sorted manifest
 * (`relpath\0filesha256\n` per file) and the total bytes.
 */
export async function hashPath(path: string): Promise<{ sha256: string; bytes: number }> {
  const s = await stat(path);
  if (s.isFile()) return { sha256: await hashFile(path), bytes: s.size };
  const files = (await readdir(path, { recursive: true, withFileTypes: true }))
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name))
    .sort();
  const manifest = createHash('sha256');
  let bytes = 0;
  for (const f of files) {
    manifest.update(`${relative(path, f)}\0${await hashFile(f)}\n`);
    bytes += (await stat(f)).size;
  }
  return { sha256: manifest.digest('hex'), bytes };
}
