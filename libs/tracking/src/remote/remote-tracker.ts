import { cpus, hostname } from 'node:os';
import { validateConfig } from '../config';
import { encodeJson } from '../db/json-column';
import { kellyPaths, type KellyPaths } from '../paths';
import { ProcessHooks, type SignalName } from '../process-hooks';
import type { RunDetail } from '../queries/run-detail';
import { newRunId, StartRunSchema, type TrackerOptions } from '../tracker-options';
import type { StartRunOptions, TrackingClient } from '../client-api';
import { DEFAULT_MEDIA_MAX_BYTES_PER_RUN } from '../media/run-media';
import { OpQueue } from './op-queue';
import { newOpKey, RemoteRun, type RemoteRunHost } from './remote-run';
import { Spool, spoolDir } from './spool';
import { TrackingHttp, TrackingServerError } from './tracking-http';
import type { StartBody } from './wire';

export interface RemoteTrackerOptions extends Omit<
  TrackerOptions,
  'path' | 'migrationsFolder' | 'health' | 'staleAfterS'
> {
  /** `http://host:port` of a Kelly server (KELLY_TRACKING_URI / --tracking-uri). */
  trackingUri: string;
  /** Bearer token (KELLY_TRACKING_TOKEN); needed when the server has tokens. */
  token?: string;
  /** How long an ending (end/fail/kill/close) waits for the queue to drain (default 30000 ms). */
  drainTimeoutMs?: number;
}

/** A URI the client accepts: http(s)://host[:port] without a path. @throws naming the value otherwise. */
export function parseTrackingUri(uri: string): string {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    throw new Error(`tracking URI "${uri}" is not a URL (expected http://host:port)`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new Error(`tracking URI "${uri}" must start with http:// or https://`);
  return `${u.protocol}//${u.host}`;
}

/**
 * The remote tracking client: the same API as the local `Tracker`, over a Kelly server's HTTP API. Every
 * operation goes to an append-only spool file (`<home>/spool/<server>/`), then to the server in order; the
 * server's idempotency keys make retries and replays safe. A spool left by a dead process is replayed first.
 */
export class RemoteTracker implements TrackingClient, RemoteRunHost {
  readonly paths: KellyPaths;
  readonly location: string;
  readonly artifactsRoot: string;
  readonly http: TrackingHttp;
  readonly spool: Spool;
  readonly queue: OpQueue;
  readonly settings: RemoteRunHost['settings'];
  /** Ops adopted from dead processes' spools when this tracker opened. */
  readonly adopted: number;
  private readonly active = new Set<RemoteRun>();
  private readonly hooks: ProcessHooks;
  private signalling = false;

  constructor(private readonly options: RemoteTrackerOptions) {
    this.location = parseTrackingUri(options.trackingUri);
    this.paths = kellyPaths(options.home, options.envHome);
    this.artifactsRoot = this.paths.artifacts;
    this.settings = {
      batchSize: options.batchSize ?? 5000,
      flushIntervalMs: options.flushIntervalMs ?? 1000,
      heartbeatMs: options.heartbeatMs ?? 10_000,
      drainTimeoutMs: options.drainTimeoutMs ?? 30_000,
      mediaMaxBytesPerRun: options.mediaMaxBytesPerRun ?? DEFAULT_MEDIA_MAX_BYTES_PER_RUN,
      onBackgroundError:
        options.onBackgroundError ??
        ((e) => process.stderr.write(`tracking: ${e instanceof Error ? e.message : String(e)}\n`)),
    };
    this.http = new TrackingHttp(this.location, options.token);
    const dir = spoolDir(this.paths.home, this.location);
    this.spool = new Spool(dir);
    this.queue = new OpQueue(this.spool, {
      send: (op) => this.http.send(op),
      onError: (e) => this.settings.onBackgroundError(e),
    });
    this.adopted = Spool.adoptOrphans(dir, (op) => this.queue.push(op));
    this.hooks = new ProcessHooks(
      { onSignal: (s) => this.onSignal(s), onExit: (code) => this.onExit(code) },
      options.handleSignals ?? true,
    );
  }

  activeRuns(): RemoteRun[] {
    return [...this.active];
  }

  async startRun(options: StartRunOptions): Promise<RemoteRun> {
    const o = StartRunSchema.parse(options);
    const config = validateConfig(o.config);
    const now = Date.now();
    const id = o.id ?? newRunId(new Date(now));
    const body: StartBody = {
      op: newOpKey('s'),
      id,
      experiment: o.experiment,
      name: o.name ?? null,
      config,
      tags: [...new Set(o.tags ?? [])],
      notes: o.notes ?? null,
      system: {
        node: process.version,
        platform: process.platform,
        arch: process.arch,
        cpu: cpus()[0]?.model ?? null,
        cpus: cpus().length,
        ...o.system,
      },
      gitCommit: o.gitCommit ?? null,
      hardware: o.hardware ?? null,
      backend: o.backend ?? null,
      startedAt: now,
      host: hostname(),
      pid: process.pid,
    };
    this.queue.push({ t: 'start', run: id, body: encodeJson(body) });
    return this.track(new RemoteRun(this, id, o.experiment, now));
  }

  /**
   * Continues a KILLED, FAILED or CRASHED run on the server (check its status with `readRun` first: the server
   * refuses other statuses, and that refusal arrives in the background).
   */
  resumeRun(id: string): RemoteRun {
    const now = Date.now();
    this.queue.push({
      t: 'resume',
      run: id,
      body: JSON.stringify({ op: newOpKey('r'), at: now, host: hostname(), pid: process.pid }),
    });
    return this.track(new RemoteRun(this, id, '', now));
  }

  async readRun(id: string): Promise<RunDetail | null> {
    try {
      return await this.http.get<RunDetail>(`/runs/${encodeURIComponent(id)}`);
    } catch (e) {
      if (e instanceof TrackingServerError && e.status === 404) return null;
      throw e;
    }
  }

  /** @internal RemoteRunHost */
  enqueue(op: Parameters<RemoteRunHost['enqueue']>[0]): void {
    this.queue.push(op);
  }

  /** Resolves true when every queued op is acknowledged, false after `drainTimeoutMs` (the spool keeps the rest). */
  drain(timeoutMs = this.settings.drainTimeoutMs): Promise<boolean> {
    return this.queue.drain(timeoutMs);
  }

  /** @internal RemoteRunHost */
  forget(run: RemoteRun): void {
    this.active.delete(run);
    if (this.active.size === 0) this.hooks.uninstall();
  }

  /** Ends active runs KILLED, waits up to `drainTimeoutMs` for the queue; what is left stays in the spool file. */
  async close(): Promise<void> {
    for (const run of this.active)
      run.finish('KILLED', {
        errorType: 'Killed',
        errorMessage: 'tracker closed while the run was active',
        errorStack: null,
      });
    this.hooks.uninstall();
    const drained = await this.drain();
    this.queue.stop();
    if (!drained)
      this.settings.onBackgroundError(
        new Error(
          `${this.queue.pending} operation(s) not acknowledged by ${this.location}; kept in ${this.spool.file}, replayed by the next client of this server`,
        ),
      );
    this.spool.close();
  }

  private track(run: RemoteRun): RemoteRun {
    this.active.add(run);
    this.hooks.install();
    return run;
  }

  private async onSignal(signal: SignalName): Promise<void> {
    const runs = this.activeRuns();
    const kill = () => {
      for (const run of runs)
        run.finish('KILLED', { errorType: 'Killed', errorMessage: `received ${signal}`, errorStack: null });
    };
    if (this.signalling || !this.options.onSignal) {
      kill();
      await this.drain(Math.min(this.settings.drainTimeoutMs, 5000));
      return;
    }
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
      await this.drain(Math.min(this.settings.drainTimeoutMs, 5000));
    }
  }

  /** Process exit: ends open runs in the spool (FINISHED on code 0, else FAILED); the next client sends them. */
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
