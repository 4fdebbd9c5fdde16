import type { Spool, SpoolEntry, SpoolOp } from './spool';

/** How sending one op went: done (stored, or already stored), retry later, or refused for good. */
export type SendOutcome =
  { kind: 'done' } | { kind: 'retry'; error: string } | { kind: 'fatal'; error: string };

export interface OpQueueOptions {
  /** Sends one op; never throws (network errors are `retry`). */
  send: (op: SpoolOp) => Promise<SendOutcome>;
  /** Background problems: a refused op, the first failure of a streak of retries. */
  onError: (error: Error) => void;
  /** Ops kept in memory up to this many bytes of JSON; beyond, they are read back from the spool (default 64 MiB). */
  memoryBytes?: number;
  /** Retry delay bounds (ms). */
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

/**
 * The ordered queue of a remote client: every op goes to the spool file first, then is sent one at a time in
 * order (a run's points arrive in the order they were logged, so its rollups extend correctly). Failed sends are
 * retried with backoff, forever, while the process lives; ops the server refuses for good (4xx other than
 * 401/403/408/429) are reported and skipped. Never blocks the caller: `push` is a synchronous file append.
 */
export class OpQueue {
  private readonly entries: SpoolEntry[] = [];
  private head = 0;
  private memBytes = 0;
  private running = false;
  private stopped = false;
  private failing: string | null = null;
  private wake: (() => void) | null = null;
  private drained: (() => void)[] = [];
  /** Ops acknowledged by the server, refused, and retries made (for tests and reports). */
  readonly stats = { sent: 0, refused: 0, retries: 0 };

  constructor(
    private readonly spool: Spool,
    private readonly options: OpQueueOptions,
  ) {}

  /** Ops not yet acknowledged. */
  get pending(): number {
    return this.entries.length - this.head;
  }

  push(op: SpoolOp): void {
    if (this.stopped) throw new Error('remote tracker is closed; cannot queue more operations');
    const entry = this.spool.append(op);
    if (this.memBytes + entry.length > (this.options.memoryBytes ?? 64 * 1024 ** 2)) entry.op = null;
    else this.memBytes += entry.length;
    this.entries.push(entry);
    this.kick();
  }

  /** Resolves true once every queued op is acknowledged, false after `timeoutMs`. */
  drain(timeoutMs: number): Promise<boolean> {
    if (this.pending === 0) return Promise.resolve(true);
    this.kick();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.drained = this.drained.filter((d) => d !== done);
        resolve(false);
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.drained.push(done);
    });
  }

  /** Stops sending (the spool keeps what is left). */
  stop(): void {
    this.stopped = true;
    this.wake?.();
  }

  /** Starts the send loop if it is not running (a loop in backoff keeps its delay). */
  private kick(): void {
    if (!this.running && !this.stopped) void this.loop();
  }

  private async loop(): Promise<void> {
    this.running = true;
    let backoff = this.options.minBackoffMs ?? 100;
    try {
      while (!this.stopped && this.head < this.entries.length) {
        const entry = this.entries[this.head]!;
        const op = entry.op ?? this.spool.read(entry);
        const outcome = await this.options.send(op);
        if (outcome.kind === 'retry') {
          this.stats.retries++;
          if (this.failing === null)
            this.options.onError(
              new Error(`${outcome.error}; operations are kept in ${this.spool.file} and retried`),
            );
          this.failing = outcome.error;
          await this.sleep(backoff);
          backoff = Math.min(backoff * 2, this.options.maxBackoffMs ?? 5000);
          continue;
        }
        if (outcome.kind === 'fatal') {
          this.stats.refused++;
          this.options.onError(
            new Error(`server refused a ${op.t} operation of run ${op.run}: ${outcome.error}`),
          );
        } else this.stats.sent++;
        this.failing = null;
        backoff = this.options.minBackoffMs ?? 100;
        if (entry.op) this.memBytes -= entry.length;
        entry.op = null;
        this.head++;
        if (this.head === this.entries.length) {
          this.entries.length = 0;
          this.head = 0;
          this.memBytes = 0;
          this.spool.reset();
          for (const d of this.drained.splice(0)) d();
        } else if (this.head > 4096) {
          this.entries.splice(0, this.head);
          this.head = 0;
        }
      }
    } finally {
      this.running = false;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      t.unref();
      this.wake = () => {
        clearTimeout(t);
        this.wake = null;
        resolve();
      };
    });
  }
}
