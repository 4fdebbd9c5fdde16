import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { readFile, rm, writeFile } from 'node:fs/promises';

/**
 * Writes `data` to `file` atomically: a temp file beside it (same directory, so rename is atomic on POSIX),
 * fsync, then rename over the target. A reader sees the old bytes or the new bytes, never a partial file.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const fd = openSync(tmp, 'w');
  try {
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  try {
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

interface LockOwner {
  pid: number;
  host: string;
  at: number;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface LockOptions {
  /** Give up after this long, in ms. Default 30 000. */
  timeoutMs?: number;
  /** A lock older than this (ms) is considered abandoned even if its pid looks alive. Default 120 000. */
  staleMs?: number;
}

/**
 * An exclusive lock file (`open(..., 'wx')`) serialising publishers of one models folder across processes.
 * A lock left by a dead process on this host (or older than `staleMs`) is broken. Polls every 20-50 ms.
 * @returns a release function (idempotent).
 */
export async function acquireLock(lockFile: string, opts: LockOptions = {}): Promise<() => Promise<void>> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const staleMs = opts.staleMs ?? 120_000;
  const me: LockOwner = { pid: process.pid, host: hostname(), at: Date.now() };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await writeFile(lockFile, JSON.stringify(me), { flag: 'wx' });
      let released = false;
      return async () => {
        if (released) return;
        released = true;
        await rm(lockFile, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let owner: LockOwner | null = null;
    try {
      owner = JSON.parse(await readFile(lockFile, 'utf8')) as LockOwner;
    } catch {
      owner = null; // being written right now, or removed: retry
    }
    if (owner && ((owner.host === me.host && !alive(owner.pid)) || Date.now() - owner.at > staleMs)) {
      await rm(lockFile, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      const who = owner
        ? `pid ${owner.pid} on ${owner.host} since ${new Date(owner.at).toISOString()}`
        : 'another process';
      throw new Error(`${lockFile}: locked by ${who}; gave up after ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 20 + Math.random() * 30));
  }
}
