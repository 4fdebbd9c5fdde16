import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { HealthOptions } from './health/health-options';
import type { SignalName } from './process-hooks';
import type { RunHandle, StartRunOptions } from './client-api';

export interface TrackerOptions {
  /** Kelly home; the store is `<home>/tracking.db`, artifacts `<home>/artifacts`. */
  home?: string;
  /** KELLY_HOME as read by the app's env.ts (used when `home` is not given). */
  envHome?: string;
  /** Explicit store: a SQLite file (or `:memory:`) or a PostgreSQL URL (`postgres://…`); wins over everything. */
  path?: string;
  /** The PostgreSQL store's URL (`postgres://user:pass@host:port/db`); wins over envDatabaseUrl and home. */
  url?: string;
  /** KELLY_DATABASE_URL as read by the app's env.ts: the store when neither `path` nor `url` is given. */
  envDatabaseUrl?: string;
  /** A RUNNING run whose heartbeat is older than this is marked CRASHED (default 60; apps pass KELLY_STALE_AFTER_S). */
  staleAfterS?: number;
  /** Flush when this many points are buffered (default 5000). */
  batchSize?: number;
  /** Flush buffered points at least this often (default 1000 ms). */
  flushIntervalMs?: number;
  /** Heartbeat period (default min(10 s, staleAfterS/4)). */
  heartbeatMs?: number;
  /**
   * Media bytes one run may store through `run.logMedia` (default 64 MiB, `DEFAULT_MEDIA_MAX_BYTES_PER_RUN`);
   * past it `logMedia` stores nothing and returns `{ stored: false }`. Apps pass `KELLY_MEDIA_MAX_MB`.
   */
  mediaMaxBytesPerRun?: number;
  /** Install SIGINT/SIGTERM handlers while runs are active (default true). */
  handleSignals?: boolean;
  /** Called on SIGINT/SIGTERM before active runs are flushed and marked KILLED, e.g. to save a checkpoint. */
  onSignal?: (signal: SignalName, runs: RunHandle[]) => void | Promise<void>;
  /** How long `onSignal` may take before the runs are closed anyway (default 30000 ms). */
  signalTimeoutMs?: number;
  /** Errors from background flushes (points stay buffered) and from health checks at run end (default: stderr). */
  onBackgroundError?: (error: unknown) => void;
  /** Thresholds of the run-health rules. */
  health?: HealthOptions;
  migrationsFolder?: string;
}

export type { StartRunOptions };

export const StartRunSchema = z.object({
  experiment: z.string().trim().min(1, 'experiment must be a non-empty string'),
  name: z.string().optional(),
  config: z.unknown(),
  tags: z.array(z.string()).optional(),
  notes: z.string().optional(),
  system: z.record(z.string(), z.unknown()).optional(),
  gitCommit: z.string().optional(),
  hardware: z.string().optional(),
  backend: z.string().optional(),
  id: z.string().min(1).optional(),
});

export function newRunId(now = new Date()): string {
  const iso = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${iso}-${randomBytes(3).toString('hex')}`;
}

/** A tracker's resolved settings (defaults applied). */
export type TrackerSettings = Required<
  Pick<
    TrackerOptions,
    | 'staleAfterS'
    | 'batchSize'
    | 'flushIntervalMs'
    | 'heartbeatMs'
    | 'mediaMaxBytesPerRun'
    | 'onBackgroundError'
  >
> & { health: HealthOptions };
