/** PostgreSQL's SQLSTATEs for a transaction that lost a lock race and may simply be retried. */
const PG_RETRYABLE = new Set(['40001', '40P01', '55P03']); // serialization_failure, deadlock, lock_not_available

/**
 * True for lock contention errors: SQLite's SQLITE_BUSY, SQLITE_LOCKED and their extended codes; PostgreSQL's
 * serialization failure, deadlock and lock-not-available.
 */
export function isBusy(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return (
    typeof code === 'string' &&
    (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED') || PG_RETRYABLE.has(code))
  );
}

/**
 * Runs a synchronous write, retrying when the lock stays busy past the connection's busy_timeout.
 * The busy timeout already waits; this is the second line so SQLITE_BUSY never reaches a trainer.
 * Blocks the thread between attempts (Atomics.wait), which is fine: the caller is already synchronous.
 */
export function withBusyRetry<T>(fn: () => T, attempts = 20): T {
  for (let i = 1; ; i++) {
    try {
      return fn();
    } catch (e) {
      if (!isBusy(e) || i >= attempts) throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20 + Math.random() * 80);
    }
  }
}
