import type { ArtifactRecord, JsonObject, RunStatus } from './db/schema';
import type { KellyPaths } from './paths';
import type { MediaInput } from './media/media-input';
import type { LogMediaResult } from './media/run-media';
import type { errorFields } from './run-error';

export interface LogOptions {
  /** Global step (batch or epoch counter), integer ≥ 0. */
  step: number;
  epoch?: number;
  /** Unix ms; defaults to now. */
  wallTime?: number;
}

/** A stored artifact row (`id` is 0 on a remote client: the server assigns it on arrival). */
export type { ArtifactRecord };

export interface StartRunOptions {
  experiment: string;
  name?: string;
  /** Whole run config; must be JSON-serialisable (the error names the offending key). */
  config: JsonObject;
  tags?: string[];
  notes?: string;
  system?: JsonObject;
  gitCommit?: string;
  hardware?: string;
  backend?: string;
  /** Run id (default: `<yyyymmdd-hhmmss>-<6 hex>`). */
  id?: string;
}

/**
 * What a training process logs through, local (`Run`, SQLite) or remote (`RemoteRun`, a Kelly server):
 * the same calls, the same buffering, the same endings.
 */
export interface RunHandle {
  readonly id: string;
  readonly experiment: string;
  readonly startedAt: number;
  readonly active: boolean;
  logMetrics(values: Record<string, number>, options: LogOptions): void;
  flush(): void;
  artifactDir(): Promise<string>;
  logArtifact(file: string, options: { kind: string; name?: string }): Promise<ArtifactRecord>;
  /** One media item (audio → WAV, image → PNG) at a step; remote: encoded here, uploaded in the background. */
  logMedia(input: MediaInput): Promise<LogMediaResult>;
  setTags(tags: string[]): void;
  setSystem(system: JsonObject & { backend?: string; hardware?: string }): void;
  setNotes(notes: string): void;
  end(): Promise<void>;
  fail(error: unknown): Promise<void>;
  kill(reason?: string): Promise<void>;
  finish(
    status: Exclude<RunStatus, 'RUNNING' | 'CRASHED'>,
    error: ReturnType<typeof errorFields> | null,
  ): void;
}

/** A tracker as a training process sees it: `openTracker()` returns one, local or remote. */
export interface TrackingClient {
  readonly paths: KellyPaths;
  /** Where runs are stored: the SQLite file, or the server's URL. */
  readonly location: string;
  startRun(options: StartRunOptions): Promise<RunHandle>;
  resumeRun(id: string): RunHandle;
  activeRuns(): RunHandle[];
  /** Local: closes the store. Remote: ends active runs (KILLED), waits a bounded time for the queue to drain. */
  close(): void | Promise<void>;
}
