import {
  closeSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';

/** One queued operation of a remote client, as written to the spool (one JSON line each). */
export interface SpoolOp {
  /** `start`, `resume`, `batch`, `update`, `artifact`, `end`. */
  t: 'start' | 'resume' | 'batch' | 'update' | 'artifact' | 'media' | 'end';
  run: string;
  /** The request body (JSON text, with its `op` idempotency key). */
  body: string;
  /** artifact, media: the local file or folder to upload, and the path under the run's folder on the server. */
  file?: string;
  rel?: string;
}

/** Where an op sits in the spool file; `op` is dropped from memory when the queue grows past its cap. */
export interface SpoolEntry {
  offset: number;
  length: number;
  op: SpoolOp | null;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** `<home>/spool/<sha256(uri) prefix>`: one folder per server, so a spool only replays where it belongs. */
export function spoolDir(home: string, uri: string): string {
  return join(home, 'spool', createHash('sha256').update(uri).digest('hex').slice(0, 16));
}

/**
 * An append-only spool file of one client process: every operation is appended (synchronously, before it is
 * sent) and the file is truncated once every operation in it was acknowledged. A file left by a dead process
 * is adopted (replayed in order) by the next client of the same server; the server's idempotency keys make
 * replaying acknowledged operations harmless.
 */
export class Spool {
  readonly file: string;
  private fd: number;
  private size = 0;

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, `${process.pid}-${randomBytes(4).toString('hex')}.jsonl`);
    this.fd = openSync(this.file, 'a+');
  }

  append(op: SpoolOp): SpoolEntry {
    const line = Buffer.from(JSON.stringify(op) + '\n');
    writeSync(this.fd, line, 0, line.length, this.size);
    const entry = { offset: this.size, length: line.length, op };
    this.size += line.length;
    return entry;
  }

  /** Reads an op back (when the queue dropped it from memory). */
  read(entry: SpoolEntry): SpoolOp {
    const buf = Buffer.alloc(entry.length);
    readSync(this.fd, buf, 0, entry.length, entry.offset);
    return JSON.parse(buf.toString('utf8')) as SpoolOp;
  }

  /** Every operation was acknowledged: start the file over. */
  reset(): void {
    ftruncateSync(this.fd, 0);
    this.size = 0;
  }

  get bytes(): number {
    return this.size;
  }

  /** Closes the file; removes it when empty (nothing left to replay). */
  close(): void {
    closeSync(this.fd);
    if (this.size === 0) rmSync(this.file, { force: true });
  }

  /**
   * Claims the spool files of dead processes in `dir` (oldest first) and hands their operations, in order, to
   * `take` (which appends them to the live spool); each claimed file is removed after. @returns how many.
   */
  static adoptOrphans(dir: string, take: (op: SpoolOp) => void): number {
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => /^\d+-[0-9a-f]+\.jsonl$/.test(n));
    } catch {
      return 0;
    }
    const mtime = (n: string) => statSync(join(dir, n), { throwIfNoEntry: false })?.mtimeMs ?? 0;
    let count = 0;
    for (const name of names.sort((a, b) => mtime(a) - mtime(b))) {
      const ops: SpoolOp[] = [];
      const pid = Number(name.split('-')[0]);
      if (pid === process.pid || alive(pid)) continue;
      const claimed = join(dir, `${name}.adopting-${process.pid}`);
      try {
        renameSync(join(dir, name), claimed); // atomic: only one adopter wins
      } catch {
        continue;
      }
      for (const line of readFileSync(claimed, 'utf8').split('\n'))
        if (line.trim()) {
          try {
            ops.push(JSON.parse(line) as SpoolOp);
          } catch {
            break; // a torn last line (the process died mid-write): everything before it is whole
          }
        }
      for (const op of ops) take(op);
      count += ops.length;
      rmSync(claimed, { force: true });
    }
    return count;
  }
}
