import { randomBytes } from 'node:crypto';
import { checkPoint, checkStepEpoch } from '../log-args';
import { cp, mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { ArtifactRecord, LogOptions, RunHandle } from '../client-api';
import type { JsonObject, RunStatus } from '../db/schema';
import { encodeJson } from '../db/json-column';
import { hashPath } from '../file-hash';
import { flagOf } from '../metric-value';
import { encodeMedia, type MediaInput } from '../media/media-input';
import type { LogMediaResult } from '../media/run-media';
import { errorFields } from '../run-error';
import type { SpoolOp } from './spool';
import {
  BATCH_LIMITS,
  mediaRelPath,
  type BatchBody,
  type EndBody,
  type MediaBody,
  type UpdateBody,
} from './wire';

/** An idempotency key: kind letter + 128 random bits. */
export const newOpKey = (kind: string) => `${kind}-${randomBytes(16).toString('base64url')}`;

/** What a RemoteRun needs of its tracker: the queue, settings, the local artifact staging root. */
export interface RemoteRunHost {
  readonly artifactsRoot: string;
  readonly settings: {
    readonly batchSize: number;
    readonly flushIntervalMs: number;
    readonly heartbeatMs: number;
    readonly drainTimeoutMs: number;
    readonly mediaMaxBytesPerRun: number;
    readonly onBackgroundError: (error: unknown) => void;
  };
  enqueue(op: SpoolOp): void;
  /** Waits (bounded) until every queued op is acknowledged. */
  drain(): Promise<boolean>;
  forget(run: RemoteRun): void;
}

/**
 * A run logged to a Kelly server. Same API and buffering as the local `Run`: points are batched (`batchSize`,
 * at most BATCH_LIMITS.maxPoints, and at least every `flushIntervalMs`), each batch becomes one queued op with
 * its own idempotency key; an empty batch is the heartbeat. Nothing here waits on the network except the
 * endings, which wait at most `drainTimeoutMs` for the queue (what is left stays in the spool).
 */
export class RemoteRun implements RunHandle {
  private keyIndex = new Map<string, number>();
  private keys: string[] = [];
  private k: number[] = [];
  private s: number[] = [];
  private e: (number | null)[] = [];
  private w: number[] = [];
  private v: (number | null)[] = [];
  private f: number[] | null = null;
  private w0 = 0;
  private lastSent = Date.now();
  private timer: NodeJS.Timeout | undefined;
  private finished = false;
  private readonly batchSize: number;
  /** Media bytes this process logged per `key@step` (the server keeps the authoritative count). */
  private readonly mediaBytes = new Map<string, number>();
  private capNoted = false;

  constructor(
    private readonly host: RemoteRunHost,
    readonly id: string,
    readonly experiment: string,
    readonly startedAt: number,
  ) {
    this.batchSize = Math.min(host.settings.batchSize, BATCH_LIMITS.maxPoints);
    const tick = Math.max(10, Math.min(host.settings.flushIntervalMs, host.settings.heartbeatMs));
    this.timer = setInterval(() => this.onTick(), tick);
    this.timer.unref();
  }

  get active(): boolean {
    return !this.finished;
  }

  get pending(): number {
    return this.k.length;
  }

  logMetrics(values: Record<string, number>, options: LogOptions): void {
    if (this.finished) throw new Error(`run ${this.id} has ended; cannot log metrics`);
    checkStepEpoch(options);
    const { step, epoch } = options;
    const wall = options.wallTime ?? Date.now();
    for (const key in values) {
      const value = values[key];
      checkPoint(key, value);
      if (key.length > BATCH_LIMITS.maxKeyLength)
        throw new Error(
          `logMetrics: metric key "${key.slice(0, 40)}…" is longer than ${BATCH_LIMITS.maxKeyLength}`,
        );
      let ki = this.keyIndex.get(key);
      if (ki === undefined) {
        ki = this.keys.push(key) - 1;
        this.keyIndex.set(key, ki);
      }
      if (this.k.length === 0) this.w0 = wall;
      this.k.push(ki);
      this.s.push(step);
      this.e.push(epoch ?? null);
      this.w.push(wall - this.w0);
      const flag = flagOf(value);
      if (flag !== 0 && !this.f) this.f = new Array<number>(this.k.length - 1).fill(0);
      this.f?.push(flag);
      this.v.push(flag === 0 ? value : null);
      if (this.k.length >= this.batchSize) this.flush();
    }
  }

  /** Queues the buffered points as one batch (a synchronous spool append; sending happens in the background). */
  flush(): void {
    const body: BatchBody = {
      op: newOpKey('b'),
      keys: this.keys,
      k: this.k,
      s: this.s,
      e: this.e,
      w0: this.w0,
      w: this.w,
      v: this.v,
      ...(this.f ? { f: this.f } : {}),
    };
    this.host.enqueue({ t: 'batch', run: this.id, body: JSON.stringify(body) });
    this.keyIndex = new Map();
    this.keys = [];
    this.k = [];
    this.s = [];
    this.e = [];
    this.w = [];
    this.v = [];
    this.f = null;
    this.lastSent = Date.now();
  }

  /** The local staging folder `<home>/artifacts/<runId>/` (uploaded from, mirrored on the server). */
  async artifactDir(): Promise<string> {
    const dir = join(this.host.artifactsRoot, this.id);
    await mkdir(dir, { recursive: true });
    return dir;
  }

  /**
   * Records a file or folder as an artifact: copied into the local staging folder unless already in it, hashed,
   * and queued for upload (streamed; the server checks the sha256 on arrival and stores it under its artifact
   * root at the same relative path). Returns the local record (`id` 0: the server assigns the id).
   */
  async logArtifact(file: string, options: { kind: string; name?: string }): Promise<ArtifactRecord> {
    const dir = resolve(await this.artifactDir());
    const src = resolve(file);
    await stat(src).catch(() => {
      throw new Error(`logArtifact: ${src} does not exist`);
    });
    let stored = src;
    const rel0 = relative(dir, src);
    if (rel0 === '' || rel0.startsWith('..') || isAbsolute(rel0)) {
      stored = join(dir, options.name ?? basename(src));
      await cp(src, stored, { recursive: true, force: true });
    }
    const rel = relative(dir, stored).split('\\').join('/');
    const { sha256, bytes } = await hashPath(stored);
    const createdAt = Date.now();
    const name = options.name ?? basename(src);
    const body = { op: newOpKey('a'), kind: options.kind, name, path: rel, createdAt };
    this.host.enqueue({ t: 'artifact', run: this.id, body: JSON.stringify(body), file: stored, rel });
    return {
      id: 0,
      runId: this.id,
      kind: options.kind,
      name,
      path: `${this.id}/${rel}`,
      sha256,
      bytes,
      createdAt,
    };
  }

  /**
   * Encodes a media item here (WAV/PNG), writes it to the local staging folder and queues its upload; the server
   * checks its sha256 and indexes it like a local run's. The per-run cap is applied here to what this process
   * logged, and again on the server. Returns the local record (ids 0: the server assigns them).
   */
  async logMedia(input: MediaInput): Promise<LogMediaResult> {
    if (this.finished) throw new Error(`run ${this.id} has ended; cannot log media`);
    const m = encodeMedia(input);
    const cap = this.host.settings.mediaMaxBytesPerRun;
    const slot = `${m.key}@${m.step}`;
    const used = [...this.mediaBytes.values()].reduce((a, b) => a + b, 0) - (this.mediaBytes.get(slot) ?? 0);
    if (used + m.data.length > cap) {
      if (!this.capNoted) {
        this.capNoted = true;
        this.setSystem({ mediaCapReached: { capBytes: cap, usedBytes: used, key: m.key, step: m.step } });
      }
      const reason = `media cap of ${cap} bytes per run reached (${used} stored, ${slot} is ${m.data.length})`;
      return { stored: false, reason, usedBytes: used, capBytes: cap };
    }
    const rel = mediaRelPath(m.key, m.step, m.mime);
    const file = join(await this.artifactDir(), rel);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(`${file}.tmp`, m.data);
    await rename(`${file}.tmp`, file);
    this.mediaBytes.set(slot, m.data.length);
    const body: Omit<MediaBody, 'sha256'> = {
      op: newOpKey('m'),
      key: m.key,
      step: m.step,
      epoch: m.epoch,
      mime: m.mime,
      caption: m.caption,
    };
    this.host.enqueue({ t: 'media', run: this.id, body: JSON.stringify(body), file, rel });
    const record = {
      id: 0,
      runId: this.id,
      artifactId: 0,
      key: m.key,
      step: m.step,
      epoch: m.epoch,
      mime: m.mime,
      caption: m.caption,
      bytes: m.data.length,
      path: `${this.id}/${rel}`,
      meta: m.meta,
      createdAt: Date.now(),
    };
    return { stored: true, record };
  }

  setTags(tags: string[]): void {
    this.update({ tags: [...new Set(tags)] });
  }

  setSystem(system: JsonObject & { backend?: string; hardware?: string }): void {
    this.update({ system });
  }

  setNotes(notes: string): void {
    this.update({ notes });
  }

  async end(): Promise<void> {
    this.finish('FINISHED', null);
    await this.host.drain();
  }

  async fail(error: unknown): Promise<void> {
    this.finish('FAILED', errorFields(error));
    await this.host.drain();
  }

  async kill(reason = 'killed'): Promise<void> {
    this.finish('KILLED', { errorType: 'Killed', errorMessage: reason, errorStack: null });
    await this.host.drain();
  }

  /** Synchronous ending (exit and signal hooks): queues the last points and the end; no-op when ended. */
  finish(
    status: Exclude<RunStatus, 'RUNNING' | 'CRASHED'>,
    error: ReturnType<typeof errorFields> | null,
  ): void {
    if (this.finished) return;
    if (this.k.length > 0) this.flush();
    this.finished = true;
    clearInterval(this.timer);
    this.timer = undefined;
    const body: EndBody = { op: newOpKey('e'), status, error, at: Date.now() };
    this.host.enqueue({ t: 'end', run: this.id, body: JSON.stringify(body) });
    this.host.forget(this);
  }

  private update(fields: Omit<UpdateBody, 'op'>): void {
    this.host.enqueue({ t: 'update', run: this.id, body: encodeJson({ op: newOpKey('u'), ...fields }) });
  }

  private onTick(): void {
    if (this.finished) return;
    try {
      if (this.k.length > 0 || Date.now() - this.lastSent >= this.host.settings.heartbeatMs) this.flush();
    } catch (e) {
      this.host.settings.onBackgroundError(e);
    }
  }
}
