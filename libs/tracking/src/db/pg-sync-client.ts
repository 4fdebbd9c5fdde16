import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { PG_WORKER_SOURCE } from './pg-worker-source';
import type { AnyFn, Args, SqlClient, SqlRunResult, SqlStatement, SqlTransaction } from './sql-client';
import { bindValues, firstLine, toPgPlaceholders, type PgSql } from './sql-placeholders';

/**
 * The advisory lock every `.immediate()` transaction takes after BEGIN, so writers are serialised across
 * processes and servers sharing the database, as SQLite's BEGIN IMMEDIATE does for one file ('Kely').
 */
export const WRITE_LOCK_KEY = 0x4b656c79;

interface Reply {
  rows?: unknown[];
  rowCount?: number;
  fields?: string[];
  /** The command tag PostgreSQL answered (an `exec`'s last statement): COMMIT of an aborted transaction says ROLLBACK. */
  command?: string;
  error?: { message: string; code?: string; detail?: string; hint?: string; severity?: string };
  /** The error is the connection's: every statement gets it. */
  connectFailed?: boolean;
}

/** A PostgreSQL error rethrown on the main thread: PG's SQLSTATE in `code`, the SQL's first line in the message. */
export class PgError extends Error {
  readonly code: string | undefined;
  readonly detail: string | undefined;
  readonly hint: string | undefined;
  constructor(error: NonNullable<Reply['error']>, source: string) {
    super(`${error.message}${error.detail ? ` (${error.detail})` : ''} in: ${firstLine(source)}`);
    this.name = 'PgError';
    this.code = error.code;
    this.detail = error.detail;
    this.hint = error.hint;
  }
}

/** Replaces the password of a postgres:// URL with `***` (for messages and `tracker.location`). */
export function maskUrl(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]*:)[^/?#]*@/, '$1***@');
}

/**
 * A synchronous `SqlClient` over node-postgres: one connection in a worker thread; each call posts the SQL and
 * blocks the calling thread until the worker replies (Atomics.wait on a SharedArrayBuffer, the reply taken with
 * receiveMessageOnPort). SQL is written as for better-sqlite3; placeholders become `$1…` (sql-placeholders.ts).
 * The worker is unref'd: an open client never keeps a process alive.
 */
export class PgSyncClient implements SqlClient {
  readonly dialect = 'postgres' as const;
  /** The connection URL with its password masked. */
  readonly location: string;
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));
  private depth = 0;
  private closed = false;
  /** The first statement that failed inside the open transaction (PostgreSQL then aborts the whole transaction). */
  private abortedBy: string | undefined;

  constructor(connectionString: string) {
    this.location = maskUrl(connectionString);
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    // The worker's eval'd source has no module location of its own: it resolves `pg` from this file's.
    const from = fileURLToPath(import.meta.url);
    this.worker = new Worker(PG_WORKER_SOURCE, {
      eval: true,
      workerData: { from, port: port2, flag: this.flag, connectionString },
      transferList: [port2],
    });
    this.worker.unref();
    this.port.unref();
    // An error event can only be seen once the main thread is idle; calls in flight learn of it by their reply.
    this.worker.on('error', () => undefined);
  }

  get open(): boolean {
    return !this.closed;
  }

  get inTransaction(): boolean {
    return this.depth > 0;
  }

  prepare(source: string): SqlStatement {
    return new PgStatement(this, source);
  }

  exec(source: string): this {
    this.call({ op: 'exec', text: source }, source);
    return this;
  }

  /** @internal one round trip to the worker; throws PgError on failure. */
  call(request: Record<string, unknown>, source: string): Reply {
    if (this.closed)
      throw new Error(`the PostgreSQL client (${this.location}) is closed: ${firstLine(source)}`);
    Atomics.store(this.flag, 0, 0);
    this.port.postMessage(request);
    for (;;) {
      const r = Atomics.wait(this.flag, 0, 0, 1000); // wakes each second to notice a dead worker
      const msg = receiveMessageOnPort(this.port);
      if (msg) {
        const reply = msg.message as Reply;
        if (reply.error && reply.connectFailed)
          throw new PgError(
            { ...reply.error, message: `cannot connect to ${this.location}: ${reply.error.message}` },
            source,
          );
        if (reply.error) {
          const error = new PgError(reply.error, source);
          if (this.depth > 0) this.abortedBy ??= error.message;
          throw error;
        }
        return reply;
      }
      if (r === 'timed-out' && this.workerGone())
        throw new Error(`the PostgreSQL worker (${this.location}) stopped: ${firstLine(source)}`);
    }
  }

  transaction<F extends AnyFn>(fn: F): SqlTransaction<F> {
    const run =
      (immediate: boolean) =>
      (...args: Args<F>): ReturnType<F> => {
        const level = this.depth;
        const savepoint = `kelly_sp${level}`;
        if (level === 0) this.abortedBy = undefined;
        if (level === 0)
          this.exec(immediate ? `BEGIN; SELECT pg_advisory_xact_lock(${WRITE_LOCK_KEY})` : 'BEGIN');
        else this.exec(`SAVEPOINT ${savepoint}`);
        this.depth++;
        let result: ReturnType<F>;
        try {
          result = fn(...args) as ReturnType<F>;
          if (result instanceof Promise) throw new TypeError('Transaction function cannot return a promise');
        } catch (e) {
          this.depth--;
          if (!this.closed) this.exec(level === 0 ? 'ROLLBACK' : `ROLLBACK TO SAVEPOINT ${savepoint}`);
          // a rolled-back savepoint leaves its enclosing transaction usable again
          if (level > 0 || this.depth === 0) this.abortedBy = undefined;
          throw e;
        }
        this.depth--;
        if (level > 0) {
          this.exec(`RELEASE SAVEPOINT ${savepoint}`); // fails loudly when an earlier statement aborted the transaction
          return result;
        }
        const abortedBy = this.abortedBy;
        this.abortedBy = undefined;
        let committed: Reply;
        try {
          committed = this.call({ op: 'exec', text: 'COMMIT' }, 'COMMIT');
        } catch (e) {
          if (!this.closed) this.exec('ROLLBACK');
          throw e;
        }
        // SQLite undoes only a failed statement and commits the rest; PostgreSQL aborts the whole transaction and
        // answers COMMIT with ROLLBACK, without an error. Never let that pass as a commit: the caller learns that
        // none of its writes were kept, and which statement undid them.
        if (committed.command === 'ROLLBACK')
          throw new Error(
            `PostgreSQL rolled the transaction back instead of committing it: a statement inside it failed and the ` +
              `error was caught (${abortedBy ?? 'unknown statement'}); none of the transaction's writes were kept ` +
              `(${this.location})`,
          );
        return result;
      };
    const deferred = run(false);
    const immediate = run(true);
    // deferred/exclusive: the names drizzle's better-sqlite3 session may call
    return Object.assign(run(false), { default: deferred, deferred, immediate, exclusive: immediate });
  }

  /** Ends the connection and terminates the worker. */
  close(): this {
    if (this.closed) return this;
    try {
      if (!this.workerGone()) this.call({ op: 'close' }, 'close');
    } catch {
      // the connection is gone already: nothing to end
    } finally {
      this.closed = true;
      void this.worker.terminate();
    }
    return this;
  }

  private workerGone(): boolean {
    // threadId is -1 once the worker has exited
    return this.worker.threadId === -1;
  }
}

class PgStatement implements SqlStatement {
  private readonly sql: PgSql;
  private mode: 'object' | 'raw' | 'pluck' = 'object';

  constructor(
    private readonly client: PgSyncClient,
    private readonly source: string,
  ) {
    this.sql = toPgPlaceholders(source);
  }

  pluck(toggleState = true): this {
    this.mode = toggleState ? 'pluck' : 'object';
    return this;
  }

  raw(toggleState = true): this {
    this.mode = toggleState ? 'raw' : 'object';
    return this;
  }

  run(...params: unknown[]): SqlRunResult {
    const r = this.query(params);
    const first = r.rows?.[0] as unknown[] | undefined;
    const id = r.fields?.[0] === 'id' && first ? first[0] : undefined;
    return { changes: r.rowCount ?? 0, lastInsertRowid: typeof id === 'number' ? id : 0 };
  }

  get(...params: unknown[]): unknown {
    return this.all(...params)[0];
  }

  all(...params: unknown[]): unknown[] {
    const r = this.query(params);
    const rows = (r.rows ?? []) as unknown[][];
    if (this.mode === 'raw') return rows;
    if (this.mode === 'pluck') return rows.map((row) => row[0]);
    const fields = r.fields ?? [];
    return rows.map((row) => {
      const o: Record<string, unknown> = {};
      for (let i = 0; i < fields.length; i++) o[fields[i]!] = row[i];
      return o;
    });
  }

  iterate(...params: unknown[]): IterableIterator<unknown> {
    return this.all(...params)[Symbol.iterator]();
  }

  private query(params: unknown[]): Reply {
    const values = bindValues(this.sql, params, this.source);
    return this.client.call(
      { op: 'query', text: this.sql.text, values, rowMode: 'array', prepare: values.length > 0 },
      this.source,
    );
  }
}
