import type { SqlClient } from './db/sql-client';
import { hostname, cpus } from 'node:os';
import { validateConfig } from './config';
import { encodeJson } from './db/json-column';
import type { JsonObject, RunStatus, runs } from './db/schema';
import type { SqlRow } from './db/sql-row';
import { maskUrl } from './db/pg-sync-client';
import { openStore, type TrackingDb } from './db/store';
import { checkRunHealth, evaluateRules, loadRunFacts, writeFindings } from './health/check-run';
import type { Finding } from './health/run-facts';
import { kellyPaths, type KellyPaths } from './paths';
import { ProcessHooks, type SignalName } from './process-hooks';
import {
  newRunId,
  StartRunSchema,
  type StartRunOptions,
  type TrackerOptions,
  type TrackerSettings,
} from './tracker-options';
import { Run, type errorFields, type RunStore } from './run';
import type { TrackingClient } from './client-api';
import { RemoteTracker, type RemoteTrackerOptions } from './remote/remote-tracker';
import { reopenRunRow } from './resume-run';
import { DEFAULT_MEDIA_MAX_BYTES_PER_RUN } from './media/run-media';
import { withBusyRetry } from './sqlite-retry';
import { crashMessage } from './stale-runs';
import {
  finishRunRow,
  insertStartedRun,
  mergeSystemRow,
  prepareTrackerStatements,
} from './tracker-statements';

export type { StartRunOptions, TrackerOptions } from './tracker-options';

/** The tracking client: one store (SQLite or PostgreSQL), explicit object, no globals. Close it when done. */
export class Tracker implements RunStore, TrackingClient {
  readonly sql: SqlClient;
  /** drizzle handle over the schema (`@kelly/tracking/schema`), for other libs' own tables. */
  readonly db: TrackingDb;
  readonly paths: KellyPaths;
  /** The store in use: the SQLite file (or `:memory:`), or the PostgreSQL URL (see `location` to print it). */
  readonly path: string;
  readonly settings: TrackerSettings;
  readonly statements: ReturnType<typeof prepareTrackerStatements>;
  private readonly active = new Set<Run>();
  private readonly hooks: ProcessHooks;
  private lastSweep = 0;
  private sweepTimer: NodeJS.Timeout | undefined;
  private signalling = false;

  constructor(private readonly options: TrackerOptions = {}) {
    this.paths = kellyPaths(options.home, options.envHome);
    this.path = options.path ?? options.url ?? options.envDatabaseUrl ?? this.paths.db;
    const staleAfterS = options.staleAfterS ?? 60;
    if (options.mediaMaxBytesPerRun !== undefined && !(options.mediaMaxBytesPerRun >= 0))
      throw new Error(`mediaMaxBytesPerRun must be ≥ 0, got ${options.mediaMaxBytesPerRun}`);
    if (!(staleAfterS > 0)) throw new Error(`staleAfterS must be > 0, got ${staleAfterS}`);
    this.settings = {
      staleAfterS,
      batchSize: options.batchSize ?? 5000,
      flushIntervalMs: options.flushIntervalMs ?? 1000,
      heartbeatMs: options.heartbeatMs ?? Math.min(10_000, (staleAfterS * 1000) / 4),
      mediaMaxBytesPerRun: options.mediaMaxBytesPerRun ?? DEFAULT_MEDIA_MAX_BYTES_PER_RUN,
      onBackgroundError:
        options.onBackgroundError ??
        ((e) => process.stderr.write(`tracking: background write or health check failed: ${String(e)}\n`)),
      health: options.health ?? {},
    };
    const store = openStore({ path: this.path, migrationsFolder: options.migrationsFolder });
    this.sql = store.sql;
    this.db = store.db;
    this.statements = prepareTrackerStatements(this.sql);
    this.hooks = new ProcessHooks(
      { onSignal: (s) => this.onSignal(s), onExit: (code) => this.onExit(code) },
      options.handleSignals ?? true,
    );
    // Opening sweeps nothing: reads show stale runs as CRASHED without writing (stale-runs.ts); the processes
    // that own writes sweep (startRun, importRun, a Run's writes, sweepEvery, the CLI's write commands).
  }

  /** TrackingClient: where runs are stored (the SQLite file, or the PostgreSQL URL with its password masked). */
  get location(): string {
    return maskUrl(this.path);
  }

  /** Runs started by this tracker that have not ended. */
  activeRuns(): Run[] {
    return [...this.active];
  }

  /** Starts a RUNNING run; the experiment is created on first use. */
  async startRun(options: StartRunOptions): Promise<Run> {
    const o = StartRunSchema.parse(options);
    const config = validateConfig(o.config);
    this.sweepStale();
    const now = Date.now();
    const id = o.id ?? newRunId(new Date(now));
    const system = {
      node: process.version,
      platform: process.platform,
      arch: process.arch,
      cpu: cpus()[0]?.model ?? null,
      cpus: cpus().length,
      ...o.system,
    };
    withBusyRetry(() =>
      this.sql
        .transaction(() =>
          insertStartedRun(this.sql, {
            id,
            experiment: o.experiment,
            name: o.name ?? null,
            now,
            host: hostname(),
            gitCommit: o.gitCommit ?? null,
            hardware: o.hardware ?? null,
            backend: o.backend ?? null,
            system,
            tags: [...new Set(o.tags ?? [])],
            notes: o.notes ?? null,
            config,
          }),
        )
        .immediate(),
    );
    const run = new Run(this, id, o.experiment, now);
    this.active.add(run);
    this.hooks.install();
    return run;
  }

  /**
   * Continues a KILLED, FAILED or CRASHED live run as the same run: RUNNING again (end, duration and error
   * cleared, its findings cleared until it ends), new points append to its series and their rollups.
   * @throws RunNotFoundError for an unknown id; an Error naming the status for a run that cannot resume.
   */
  resumeRun(id: string): Run {
    this.sweepStale();
    const now = Date.now();
    const reopened = withBusyRetry(() =>
      this.sql
        .transaction(() => {
          const r = reopenRunRow(this.sql, id, now, hostname());
          this.checkHealthInTransaction(id); // RUNNING: no findings until it ends
          return r;
        })
        .immediate(),
    );
    const run = new Run(this, id, reopened.experiment, reopened.startedAt, reopened.rollups);
    this.active.add(run);
    this.hooks.install();
    return run;
  }

  /**
   * Marks RUNNING runs whose heartbeat is older than the stale window as CRASHED (this tracker's own active runs
   * excepted) and runs the health rules on them. Called by writes, never by queries. Returns their ids.
   * @param now Unix ms the window is measured from (tests pass a later clock instead of waiting).
   */
  sweepStale(now = Date.now()): string[] {
    this.lastSweep = now;
    const cutoff = now - this.settings.staleAfterS * 1000;
    const mine = new Set([...this.active].map((r) => r.id));
    const ids = (this.statements.staleRuns.all(cutoff) as Pick<SqlRow<typeof runs>, 'id'>[])
      .map((r) => r.id)
      .filter((id) => !mine.has(id));
    const crashed: string[] = [];
    for (const id of ids) {
      const msg = crashMessage(this.settings.staleAfterS);
      const changed = withBusyRetry(() => this.statements.crash.run({ id, msg, cutoff }).changes);
      if (changed) {
        crashed.push(id);
        this.checkHealth(id);
      }
    }
    return crashed;
  }

  /**
   * Sweeps now and then every `intervalMs` (default staleAfterS/2) until `close()` or the returned stop; the
   * timer does not keep the process alive. For long-lived processes that own writes (dashboard server, watcher).
   * A background sweep that fails goes to `onBackgroundError`.
   */
  sweepEvery(intervalMs = (this.settings.staleAfterS * 1000) / 2): () => void {
    const sweep = () => {
      try {
        this.sweepStale();
      } catch (e) {
        this.settings.onBackgroundError(e);
      }
    };
    clearInterval(this.sweepTimer);
    sweep();
    const timer = setInterval(sweep, intervalMs);
    timer.unref();
    this.sweepTimer = timer;
    return () => {
      clearInterval(timer);
      if (this.sweepTimer === timer) this.sweepTimer = undefined;
    };
  }

  /** Sweeps at most every staleAfterS/2 (used on the hot write path). */
  maybeSweep(): void {
    if (Date.now() - this.lastSweep >= (this.settings.staleAfterS * 1000) / 2) this.sweepStale();
  }

  /** Re-evaluates the health rules on one run (replacing its earlier findings). */
  checkHealth(runId: string): Finding[] {
    // Read and evaluate outside the write lock (WAL readers do not block writers), then write briefly.
    const facts = loadRunFacts(this.sql, runId);
    const findings = facts && facts.status !== 'RUNNING' ? evaluateRules(facts, this.settings.health) : [];
    withBusyRetry(() => this.sql.transaction(() => writeFindings(this.sql, runId, findings)).immediate());
    return findings;
  }

  /** Same as checkHealth, for callers already inside a write transaction. */
  checkHealthInTransaction(runId: string): Finding[] {
    return checkRunHealth(this.sql, runId, this.settings.health);
  }

  /** @internal used by Run */
  updateRun(id: string, fields: { tags?: string[]; notes?: string }): void {
    if (fields.tags)
      withBusyRetry(() =>
        this.sql.prepare(`UPDATE runs SET tags = ? WHERE id = ?`).run(encodeJson(fields.tags), id),
      );
    if (fields.notes !== undefined)
      withBusyRetry(() => this.sql.prepare(`UPDATE runs SET notes = ? WHERE id = ?`).run(fields.notes, id));
  }

  /** @internal used by Run */
  mergeSystem(id: string, system: JsonObject): void {
    withBusyRetry(() => this.sql.transaction(() => mergeSystemRow(this.sql, id, system)).immediate());
  }

  /** @internal used by Run.finish: stores the final status, then evaluates the health rules. */
  finalizeRun(run: Run, status: RunStatus, error: ReturnType<typeof errorFields> | null): void {
    const now = Date.now();
    withBusyRetry(() =>
      this.sql.transaction(() => finishRunRow(this.sql, run.id, status, error, now)).immediate(),
    );
    this.active.delete(run);
    if (this.active.size === 0) this.hooks.uninstall();
    try {
      this.checkHealth(run.id);
    } catch (e) {
      // the run's status and points are stored; a failing rule must not turn end() into an error
      this.settings.onBackgroundError(e);
    }
  }

  /** Kills still-active runs ("tracker closed"), removes process hooks and closes the database. */
  close(): void {
    for (const run of this.active)
      run.finish('KILLED', {
        errorType: 'Killed',
        errorMessage: 'tracker closed while the run was active',
        errorStack: null,
      });
    clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
    this.hooks.uninstall();
    if (this.sql.open) this.sql.close();
  }

  private async onSignal(signal: SignalName): Promise<void> {
    const runs = this.activeRuns();
    const kill = () => {
      for (const run of runs)
        run.finish('KILLED', { errorType: 'Killed', errorMessage: `received ${signal}`, errorStack: null });
    };
    // A second signal while the hook runs (impatient Ctrl-C) skips the hook.
    if (this.signalling || !this.options.onSignal) return kill();
    this.signalling = true;
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, this.options.signalTimeoutMs ?? 30_000);
      });
      await Promise.race([Promise.resolve(this.options.onSignal(signal, runs)), timeout]);
    } finally {
      clearTimeout(timer);
      this.signalling = false;
      kill();
    }
  }

  private onExit(code: number): void {
    for (const run of this.activeRuns()) {
      if (code === 0) run.finish('FINISHED', null);
      else
        run.finish('FAILED', {
          errorType: 'ProcessExit',
          errorMessage: `process exited with code ${code} while the run was active`,
          errorStack: null,
        });
    }
  }
}

/**
 * Opens a tracker. Without `trackingUri`: the local SQLite store (created and migrated), synchronously.
 * With `trackingUri` (KELLY_TRACKING_URI / --tracking-uri): a `RemoteTracker` logging to that Kelly server.
 */
export function openTracker(options?: TrackerOptions & { trackingUri?: undefined }): Tracker;
export function openTracker(options: RemoteTrackerOptions): RemoteTracker;
export function openTracker(
  options: TrackerOptions & Partial<Pick<RemoteTrackerOptions, 'trackingUri' | 'token' | 'drainTimeoutMs'>>,
): TrackingClient;
export function openTracker(
  options:
    | (TrackerOptions & Partial<Pick<RemoteTrackerOptions, 'trackingUri' | 'token' | 'drainTimeoutMs'>>)
    | RemoteTrackerOptions = {},
): TrackingClient {
  const { trackingUri, token, drainTimeoutMs, ...local } = options as TrackerOptions &
    Partial<Pick<RemoteTrackerOptions, 'trackingUri' | 'token' | 'drainTimeoutMs'>>;
  if (trackingUri === undefined) return new Tracker(local);
  const { path: _path, migrationsFolder: _m, health: _h, staleAfterS: _s, onSignal, ...rest } = local;
  return new RemoteTracker({
    ...rest,
    trackingUri,
    token,
    drainTimeoutMs,
    ...(onSignal ? { onSignal } : {}),
  });
}
