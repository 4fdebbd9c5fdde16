import type { SqlClient } from '../db/sql-client';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { encodeJson } from '../db/json-column';
import { sha256Hex } from '../file-hash';
import type { JsonObject, media, MediaType } from '../db/schema';
import type { SqlRow } from '../db/sql-row';
import { withBusyRetry } from '../sqlite-retry';
import { encodeMedia, type MediaInput } from './media-input';

/** Default per-run media cap (`TrackerOptions.mediaMaxBytesPerRun`): 64 MiB. */
export const DEFAULT_MEDIA_MAX_BYTES_PER_RUN = 64 * 1024 * 1024;

/** One stored media item. `path` is relative to the artifact root, like artifacts'. */
export interface MediaRecord {
  id: number;
  runId: string;
  artifactId: number;
  key: string;
  step: number;
  epoch: number | null;
  mime: MediaType;
  caption: string | null;
  bytes: number;
  path: string;
  meta: JsonObject;
  createdAt: number;
}

/** `stored: false` when the run's media cap would be passed: nothing is written, training goes on. */
export type LogMediaResult =
  | { stored: true; record: MediaRecord }
  | { stored: false; reason: string; usedBytes: number; capBytes: number };

/** What the media writer needs from the tracker. */
export interface MediaStore {
  readonly sql: SqlClient;
  readonly paths: { readonly artifacts: string };
  readonly settings: { readonly mediaMaxBytesPerRun: number };
  mergeSystem(id: string, system: JsonObject): void;
}

/**
 * Writes one run's media: the file under `<artifacts>/<runId>/media/<key>/<step>.<ext>` (written to a temporary
 * name, then renamed), an `artifacts` row of kind `media` and a `media` row, in one transaction. Logging the same
 * (key, step) again replaces the earlier item. Bytes are counted against `mediaMaxBytesPerRun` (a resumed run
 * counts what it already stored); the first refusal is recorded in the run's system info as `mediaCapReached`.
 */
export class RunMediaWriter {
  private used: number | null = null;
  private capNoted = false;

  constructor(
    private readonly store: MediaStore,
    private readonly runId: string,
  ) {}

  /** Media bytes stored for this run so far. */
  usedBytes(): number {
    this.used ??= (
      this.store.sql
        .prepare(`SELECT coalesce(sum(bytes), 0) AS b FROM media WHERE run_id = ?`)
        .get(this.runId) as {
        b: number;
      }
    ).b;
    return this.used;
  }

  async log(input: MediaInput): Promise<LogMediaResult> {
    const m = encodeMedia(input);
    const { sql: sqlite } = this.store;
    const cap = this.store.settings.mediaMaxBytesPerRun;
    const previous = sqlite
      .prepare(`SELECT artifact_id, bytes FROM media WHERE run_id = ? AND key = ? AND step = ?`)
      .get(this.runId, m.key, m.step) as Pick<SqlRow<typeof media>, 'artifact_id' | 'bytes'> | undefined;
    const used = this.usedBytes() - (previous?.bytes ?? 0);
    if (used + m.data.length > cap) {
      const reason = `media cap of ${cap} bytes per run reached (${used} stored, ${m.key}@${m.step} is ${m.data.length})`;
      if (!this.capNoted) {
        this.capNoted = true;
        this.store.mergeSystem(this.runId, {
          mediaCapReached: { capBytes: cap, usedBytes: used, key: m.key, step: m.step },
        });
      }
      return { stored: false, reason, usedBytes: used, capBytes: cap };
    }
    const path = `${this.runId}/media/${m.key}/${m.step}.${m.ext}`;
    const file = join(this.store.paths.artifacts, path);
    await mkdir(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, m.data);
    await rename(tmp, file);
    const sha256 = sha256Hex(m.data);
    const createdAt = Date.now();
    const bytes = m.data.length;
    const record = withBusyRetry(() =>
      sqlite
        .transaction((): MediaRecord => {
          if (previous) sqlite.prepare(`DELETE FROM artifacts WHERE id = ?`).run(previous.artifact_id);
          const artifactId = Number(
            sqlite
              .prepare(
                `INSERT INTO artifacts (run_id, kind, name, path, sha256, bytes, created_at)
                 VALUES (?, 'media', ?, ?, ?, ?, ?) RETURNING id`,
              )
              .run(this.runId, `${m.key}@${m.step}`, path, sha256, bytes, createdAt).lastInsertRowid,
          );
          const id = Number(
            sqlite
              .prepare(
                `INSERT INTO media (run_id, artifact_id, key, step, epoch, mime, caption, bytes, meta, created_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
              )
              .run(
                this.runId,
                artifactId,
                m.key,
                m.step,
                m.epoch,
                m.mime,
                m.caption,
                bytes,
                encodeJson(m.meta),
                createdAt,
              ).lastInsertRowid,
          );
          return {
            id,
            runId: this.runId,
            artifactId,
            key: m.key,
            step: m.step,
            epoch: m.epoch,
            mime: m.mime,
            caption: m.caption,
            bytes,
            path,
            meta: m.meta,
            createdAt,
          };
        })
        .immediate(),
    );
    this.used = used + bytes;
    return { stored: true, record };
  }
}
