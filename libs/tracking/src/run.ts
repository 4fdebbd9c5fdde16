import type { SqlClient } from './db/sql-client';
import { checkPoint, checkStepEpoch } from './log-args';
import { cp, mkdir, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import type { ArtifactRecord, JsonObject, RunStatus } from './db/schema';
import { hashPath } from './file-hash';
import { flagOf } from './metric-value';
import { RollupBuilder } from './metric-rollup';
import { withBusyRetry } from './sqlite-retry';
import { errorFields } from './run-error';
import type { KellyPaths } from './paths';
import type { MediaInput } from './media/media-input';
import { RunMediaWriter, type LogMediaResult } from './media/run-media';
import type { TrackerStatements } from './tracker-statements';
import type { LogOptions, RunHandle } from './client-api';

export { errorFields };

/**
 * The narrow store port a Run writes through (the Tracker implements it): its connection and the prepared
 * statements of the hot path, the artifact root, the write settings, and the row updates the run delegates.
 */
export interface RunStore {
  readonly sql: SqlClient;
  readonly paths: Pick<KellyPaths, 'artifacts'>;
  readonly settings: {
    readonly batchSize: number;
    readonly flushIntervalMs: number;
    readonly heartbeatMs: number;
    /** Media bytes one run may store (`TrackerOptions.mediaMaxBytesPerRun`). */
    readonly mediaMaxBytesPerRun: number;
    readonly onBackgroundError: (error: unknown) => void;
  };
  readonly statements: Pick<
    TrackerStatements,
    'insertMetric' | 'insertMetricColumns' | 'heartbeat' | 'insertArtifact'
  >;
  /** Sweeps stale runs at most every staleAfterS/2. */
  maybeSweep(): void;
  updateRun(id: string, fields: { tags?: string[]; notes?: string }): void;
  mergeSystem(id: string, system: JsonObject): void;
  /** Stores the final status, forgets the run, then evaluates the health rules. */
  finalizeRun(run: Run, status: RunStatus, error: ReturnType<typeof errorFields> | null): void;
}

export type { LogOptions, ArtifactRecord };

/**
 * One live run. Metric points are buffered and written in batches: when `batchSize` points are pending,
 * at least every `flushIntervalMs`, and on end/fail/kill/process exit. Created by `tracker.startRun`.
 */
export class Run implements RunHandle {
  private keys: string[] = [];
  private steps: number[] = [];
  private epochs: (number | null)[] = [];
  private walls: number[] = [];
  private values: number[] = [];
  private lastHeartbeat = Date.now();
  private timer: NodeJS.Timeout | undefined;
  private finished = false;
  private media: RunMediaWriter | undefined;

  constructor(
    private readonly tracker: RunStore,
    readonly id: string,
    readonly experiment: string,
    readonly startedAt: number,
    /** A resumed run's rollups continue its stored series (`rollupsFromStore`). */
    private readonly rollups: RollupBuilder = new RollupBuilder(),
  ) {
    const tick = Math.max(10, Math.min(tracker.settings.flushIntervalMs, tracker.settings.heartbeatMs));
    this.timer = setInterval(() => this.onTick(), tick);
    this.timer.unref();
  }

  /** True until end/fail/kill. */
  get active(): boolean {
    return !this.finished;
  }

  /** Points logged but not yet written. */
  get pending(): number {
    return this.keys.length;
  }

  /**
   * Buffers one point per key. Values may be NaN/±Infinity (stored faithfully).
   * @throws when the run has ended, the step is not an integer ≥ 0, or a value is not a number.
   */
  logMetrics(values: Record<string, number>, options: LogOptions): void {
    if (this.finished) throw new Error(`run ${this.id} has ended; cannot log metrics`);
    checkStepEpoch(options);
    const { step, epoch } = options;
    const wall = options.wallTime ?? Date.now();
    for (const key in values) {
      const v = values[key];
      checkPoint(key, v);
      this.keys.push(key);
      this.steps.push(step);
      this.epochs.push(epoch ?? null);
      this.walls.push(wall);
      this.values.push(v);
    }
    if (this.keys.length >= this.tracker.settings.batchSize) this.flush();
  }

  /** Writes every buffered point now (one transaction) and beats the heartbeat. */
  flush(): void {
    const n = this.keys.length;
    const now = Date.now();
    const { insertMetric, insertMetricColumns, heartbeat } = this.tracker.statements;
    const { keys, steps, epochs, walls, values } = this;
    const snapshot = this.rollups.snapshot();
    let attempt = 0;
    try {
      withBusyRetry(() =>
        this.tracker.sql
          .transaction(() => {
            if (attempt++ > 0) this.rollups.restore(snapshot);
            if (insertMetricColumns) {
              const flags = values.map(flagOf);
              const stored = values.map((v, i) => (flags[i] === 0 ? v : null));
              insertMetricColumns(this.id, { keys, steps, epochs, walls, values: stored, flags });
              for (let i = 0; i < n; i++)
                this.rollups.add(keys[i]!, steps[i]!, epochs[i]!, walls[i]!, values[i]!);
            } else
              for (let i = 0; i < n; i++) {
                const v = values[i]!;
                const flag = flagOf(v);
                insertMetric.run(
                  this.id,
                  keys[i],
                  steps[i],
                  epochs[i],
                  walls[i],
                  flag === 0 ? v : null,
                  flag,
                );
                this.rollups.add(keys[i]!, steps[i]!, epochs[i]!, walls[i]!, v);
              }
            this.rollups.write(this.tracker.sql, this.id);
            if (!this.finished) heartbeat.run({ now, id: this.id });
          })
          .immediate(),
      );
    } catch (e) {
      this.rollups.restore(snapshot); // the points stay buffered; the next flush adds them again
      throw e;
    }
    this.keys = [];
    this.steps = [];
    this.epochs = [];
    this.walls = [];
    this.values = [];
    this.lastHeartbeat = now;
    this.tracker.maybeSweep();
  }

  /** `<artifact root>/<runId>/`, created on first call. */
  async artifactDir(): Promise<string> {
    const dir = join(this.tracker.paths.artifacts, this.id);
    await mkdir(dir, { recursive: true });
    return dir;
  }

  /**
   * Records a file or directory as an artifact. Copied into `artifactDir()` unless already under the artifact
   * root; sha256 and bytes are computed from the stored copy.
   */
  async logArtifact(file: string, options: { kind: string; name?: string }): Promise<ArtifactRecord> {
    const root = resolve(this.tracker.paths.artifacts);
    const src = resolve(file);
    await stat(src).catch(() => {
      throw new Error(`logArtifact: ${src} does not exist`);
    });
    let stored = src;
    const rel0 = relative(root, src);
    if (rel0.startsWith('..') || isAbsolute(rel0)) {
      stored = join(await this.artifactDir(), options.name ?? basename(src));
      await cp(src, stored, { recursive: true, force: true });
    }
    const { sha256, bytes } = await hashPath(stored);
    const row = {
      runId: this.id,
      kind: options.kind,
      name: options.name ?? basename(src),
      path: relative(root, stored).split('\\').join('/'),
      sha256,
      bytes,
      createdAt: Date.now(),
    };
    const info = withBusyRetry(() => this.tracker.statements.insertArtifact.run(row));
    return { id: Number(info.lastInsertRowid), ...row };
  }

  /**
   * Stores one media item at a step: audio samples (→ WAV), an RGBA raster (→ PNG) or already-encoded WAV/PNG
   * bytes, as an artifact of kind `media` indexed in the `media` table (same key and step again: replaced).
   * Returns `{ stored: false, reason }` instead of writing when the run's media cap would be passed.
   * @throws when the run has ended or the input is invalid (the error names the field).
   */
  async logMedia(input: MediaInput): Promise<LogMediaResult> {
    if (this.finished) throw new Error(`run ${this.id} has ended; cannot log media`);
    this.media ??= new RunMediaWriter(this.tracker, this.id);
    return this.media.log(input);
  }

  /** Replaces the run's tags. */
  setTags(tags: string[]): void {
    this.tracker.updateRun(this.id, { tags: [...new Set(tags)] });
  }

  /** Merges into the run's system info (tfjs version, backend, threads, ...). `backend` also fills the column. */
  setSystem(system: JsonObject & { backend?: string; hardware?: string }): void {
    this.tracker.mergeSystem(this.id, system);
  }

  setNotes(notes: string): void {
    this.tracker.updateRun(this.id, { notes });
  }

  /** Flushes and marks the run FINISHED, then runs the health rules. */
  async end(): Promise<void> {
    this.finish('FINISHED', null);
  }

  /** Flushes and marks the run FAILED with the error's type, message and stack. */
  async fail(error: unknown): Promise<void> {
    this.finish('FAILED', errorFields(error));
  }

  /** Flushes and marks the run KILLED (e.g. from an app's own signal handler after saving a checkpoint). */
  async kill(reason = 'killed'): Promise<void> {
    this.finish('KILLED', { errorType: 'Killed', errorMessage: reason, errorStack: null });
  }

  /** Synchronous end used by end/fail/kill, signal and exit hooks. No-op when already ended. */
  finish(
    status: Exclude<RunStatus, 'RUNNING' | 'CRASHED'>,
    error: ReturnType<typeof errorFields> | null,
  ): void {
    if (this.finished) return;
    this.flush();
    this.finished = true;
    clearInterval(this.timer);
    this.timer = undefined;
    this.tracker.finalizeRun(this, status, error);
  }

  private onTick(): void {
    if (this.finished) return;
    try {
      if (this.keys.length > 0 || Date.now() - this.lastHeartbeat >= this.tracker.settings.heartbeatMs)
        this.flush();
    } catch (e) {
      // A failed background flush keeps the points buffered; the next flush (or end) retries and throws.
      this.tracker.settings.onBackgroundError(e);
    }
  }
}
