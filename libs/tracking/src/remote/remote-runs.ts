import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hashPath } from '../file-hash';
import { RollupBuilder } from '../metric-rollup';
import { RunNotFoundError } from '../queries/run-item';
import { reopenRunRow, rollupsFromStore } from '../resume-run';
import type { ArtifactRecord } from '../run';
import { withBusyRetry } from '../sqlite-retry';
import type { Tracker } from '../tracker';
import { finishRunRow, insertStartedRun, mergeSystemRow } from '../tracker-statements';
import { encodeJson } from '../db/json-column';
import { RunMediaWriter, type LogMediaResult } from '../media/run-media';
import {
  isSafeRelPath,
  mediaRelPath,
  type MediaBody,
  type ArtifactBody,
  type BatchBody,
  type EndBody,
  type ResumeBody,
  type StartBody,
  type UpdateBody,
} from './wire';

/** An operation the server cannot apply, with the HTTP status that says why (retrying will not help). */
export class RemoteOpError extends Error {
  constructor(
    readonly status: 404 | 409 | 422,
    message: string,
  ) {
    super(message);
  }
}

/** What the server answers to an applied (or already applied) operation. */
export interface OpResult {
  /** False when the op key was already stored: the retry was acknowledged, nothing was written. */
  applied: boolean;
}

/**
 * The server side of remote runs: applies the clients' operations to the store, each with its idempotency key
 * in the same transaction. Keeps each open run's metric rollups in memory (rebuilt from the store after a
 * restart). The server's own clock sets heartbeats, so its stale sweep judges every run by one clock.
 */
export class RemoteRuns {
  private readonly rollups = new Map<string, RollupBuilder>();
  private readonly media = new Map<string, RunMediaWriter>();
  private readonly st;

  constructor(private readonly tracker: Tracker) {
    const sq = tracker.sql;
    this.st = {
      insertOp: sq.prepare(
        `INSERT INTO remote_ops (key, run_id, kind, points, applied_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      ),
      runState: sq.prepare(`SELECT status, source FROM runs WHERE id = ?`),
      tags: sq.prepare(`UPDATE runs SET tags = ? WHERE id = ?`),
      notes: sq.prepare(`UPDATE runs SET notes = ? WHERE id = ?`),
    };
  }

  start(b: StartBody): OpResult {
    const now = Date.now();
    const applied = withBusyRetry(() =>
      this.tracker.sql
        .transaction(() => {
          const existing = this.st.runState.get(b.id);
          if (existing) {
            if (this.opStored(b.op)) return false;
            throw new RemoteOpError(409, `run ${b.id} already exists`);
          }
          insertStartedRun(this.tracker.sql, {
            id: b.id,
            experiment: b.experiment,
            name: b.name,
            now: b.startedAt,
            heartbeatAt: now,
            host: b.host,
            pid: b.pid,
            gitCommit: b.gitCommit,
            hardware: b.hardware,
            backend: b.backend,
            system: b.system,
            tags: [...new Set(b.tags)],
            notes: b.notes,
            config: b.config,
          });
          this.st.insertOp.run(b.op, b.id, 'start', 0, now);
          return true;
        })
        .immediate(),
    );
    if (applied) this.rollups.set(b.id, new RollupBuilder());
    return { applied };
  }

  resume(id: string, b: ResumeBody): OpResult {
    const now = Date.now();
    const result = withBusyRetry(() =>
      this.tracker.sql
        .transaction(() => {
          this.requireRun(id);
          if (this.st.insertOp.run(b.op, id, 'resume', 0, now).changes === 0) return null;
          const r = reopenRunRow(this.tracker.sql, id, now, b.host, b.pid);
          this.tracker.checkHealthInTransaction(id);
          return r;
        })
        .immediate(),
    );
    if (result) this.rollups.set(id, result.rollups);
    return { applied: result !== null };
  }

  /** Stores a batch's points, their rollups and the heartbeat in one transaction (or nothing, for a repeat). */
  appendBatch(runId: string, b: BatchBody): OpResult & { points: number } {
    const now = Date.now();
    const sq = this.tracker.sql;
    const n = b.k.length;
    const state = this.requireRun(runId);
    if (state.status !== 'RUNNING' && state.status !== 'CRASHED') {
      if (this.opStored(b.op)) return { applied: false, points: 0 };
      throw new RemoteOpError(409, `run ${runId} is ${state.status}; it takes no more points`);
    }
    let rollups = this.rollups.get(runId);
    if (!rollups) {
      rollups = rollupsFromStore(sq, runId);
      this.rollups.set(runId, rollups);
    }
    const builder = rollups;
    const snapshot = builder.snapshot();
    const { insertMetric, insertMetricColumns, heartbeat } = this.tracker.statements;
    let attempt = 0;
    try {
      const applied = withBusyRetry(() =>
        sq
          .transaction(() => {
            if (attempt++ > 0) builder.restore(snapshot);
            if (this.st.insertOp.run(b.op, runId, 'batch', n, now).changes === 0) return false;
            const { keys, k, s, e, w0, w, v, f } = b;
            const columns = insertMetricColumns && {
              keys: [] as string[],
              steps: [] as number[],
              epochs: [] as (number | null)[],
              walls: [] as number[],
              values: [] as (number | null)[],
              flags: [] as number[],
            };
            for (let i = 0; i < n; i++) {
              const key = keys[k[i]!]!;
              const flag = f?.[i] ?? 0;
              const wall = w0 + w[i]!;
              const value = flag === 0 ? v[i]! : flag === 1 ? NaN : flag === 2 ? Infinity : -Infinity;
              if (columns) {
                columns.keys.push(key);
                columns.steps.push(s[i]!);
                columns.epochs.push(e[i] ?? null);
                columns.walls.push(wall);
                columns.values.push(flag === 0 ? value : null);
                columns.flags.push(flag);
              } else insertMetric.run(runId, key, s[i], e[i], wall, flag === 0 ? value : null, flag);
              builder.add(key, s[i]!, e[i] ?? null, wall, value);
            }
            if (columns) insertMetricColumns?.(runId, columns);
            builder.write(sq, runId);
            heartbeat.run({ now, id: runId });
            return true;
          })
          .immediate(),
      );
      return { applied, points: applied ? n : 0 };
    } catch (err) {
      builder.restore(snapshot);
      throw err;
    }
  }

  update(runId: string, b: UpdateBody): OpResult {
    this.requireRun(runId);
    withBusyRetry(() =>
      this.tracker.sql
        .transaction(() => {
          if (b.tags) this.st.tags.run(encodeJson([...new Set(b.tags)]), runId);
          if (b.notes !== undefined) this.st.notes.run(b.notes, runId);
          if (b.system) mergeSystemRow(this.tracker.sql, runId, b.system);
        })
        .immediate(),
    );
    return { applied: true };
  }

  /** Stores the final status (with the client's end time), then evaluates the health rules. */
  end(runId: string, b: EndBody): OpResult {
    this.requireRun(runId);
    const applied = withBusyRetry(() =>
      this.tracker.sql
        .transaction(() => {
          if (this.st.insertOp.run(b.op, runId, 'end', 0, Date.now()).changes === 0) return false;
          finishRunRow(this.tracker.sql, runId, b.status, b.error, b.at);
          return true;
        })
        .immediate(),
    );
    this.rollups.delete(runId);
    this.media.delete(runId);
    if (applied) {
      try {
        this.tracker.checkHealth(runId);
      } catch (e) {
        this.tracker.settings.onBackgroundError(e); // the status is stored; a failing rule must not fail the end
      }
    }
    return { applied };
  }

  /** `<artifact root>/<runId>/<rel>`: where an uploaded file of the run goes. @throws 422 on an unsafe path. */
  artifactFile(runId: string, rel: string): string {
    if (!isSafeRelPath(rel) || !isSafeRelPath(runId))
      throw new RemoteOpError(
        422,
        `artifact path "${rel}" must be relative, without "..", "." or empty segments`,
      );
    this.requireRun(runId);
    return join(this.tracker.paths.artifacts, runId, rel);
  }

  /**
   * Records an uploaded artifact after checking the stored file's (or directory's) sha256 against the client's.
   * @throws RemoteOpError 422 when the stored content is missing or differs.
   */
  async registerArtifact(
    runId: string,
    b: ArtifactBody,
  ): Promise<OpResult & { artifact: ArtifactRecord | null }> {
    const stored = this.artifactFile(runId, b.path);
    if (this.opStored(b.op)) return { applied: false, artifact: null };
    const actual = await hashPath(stored).catch(() => null);
    if (!actual) throw new RemoteOpError(422, `artifact ${b.path}: nothing was uploaded at that path`);
    if (actual.sha256 !== b.sha256 || actual.bytes !== b.bytes)
      throw new RemoteOpError(
        422,
        `artifact ${b.path}: sha256 ${actual.sha256} (${actual.bytes} bytes) on arrival, client sent ${b.sha256} (${b.bytes} bytes)`,
      );
    const row = {
      runId,
      kind: b.kind,
      name: b.name,
      path: `${runId}/${b.path}`,
      sha256: b.sha256,
      bytes: b.bytes,
      createdAt: b.createdAt,
    };
    const id = withBusyRetry(() =>
      this.tracker.sql
        .transaction(() => {
          if (this.st.insertOp.run(b.op, runId, 'artifact', 0, Date.now()).changes === 0) return null;
          return Number(this.tracker.statements.insertArtifact.run(row).lastInsertRowid);
        })
        .immediate(),
    );
    return id === null ? { applied: false, artifact: null } : { applied: true, artifact: { id, ...row } };
  }

  /**
   * Indexes an uploaded media file (checked against the client's sha256) through the same writer as local runs:
   * the per-run cap applies, and the same key and step again replaces the item (so a replay is harmless).
   */
  async logMedia(runId: string, b: MediaBody): Promise<LogMediaResult> {
    const file = this.artifactFile(runId, mediaRelPath(b.key, b.step, b.mime));
    const data = await readFile(file).catch(() => null);
    if (!data) throw new RemoteOpError(422, `media ${b.key}@${b.step}: nothing was uploaded for it`);
    const sha256 = createHash('sha256').update(data).digest('hex');
    if (sha256 !== b.sha256)
      throw new RemoteOpError(
        422,
        `media ${b.key}@${b.step}: sha256 ${sha256} on arrival, client sent ${b.sha256}`,
      );
    let writer = this.media.get(runId);
    if (!writer) this.media.set(runId, (writer = new RunMediaWriter(this.tracker, runId)));
    return writer.log({
      kind: 'encoded',
      mime: b.mime,
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      key: b.key,
      step: b.step,
      ...(b.epoch === null ? {} : { epoch: b.epoch }),
      ...(b.caption === null ? {} : { caption: b.caption }),
    });
  }

  /** Creates the folder of an upload's target. */
  async prepareUpload(file: string): Promise<void> {
    await mkdir(join(file, '..'), { recursive: true });
  }

  private opStored(op: string): boolean {
    return this.tracker.sql.prepare(`SELECT 1 FROM remote_ops WHERE key = ?`).get(op) !== undefined;
  }

  private requireRun(id: string): { status: string; source: string } {
    const row = this.st.runState.get(id) as { status: string; source: string } | undefined;
    if (!row) throw new RunNotFoundError(id);
    return row;
  }
}
