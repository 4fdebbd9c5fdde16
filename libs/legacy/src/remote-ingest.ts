import { sha256Hex } from '@kelly/tracking';
import { resolve } from 'node:path';
import { totalsOf, type DirFileReport } from './dir-report';
import { logLine, type IngestDecision, type IngestOptions, type LegacyFileInput } from './ingest-decision';
import type { IngestDirResult } from './ingest-dir';
import type { IngestTarget } from './ingest-target';
import { relPathOf, scanLegacyDir } from './legacy-files';
import { loadLegacyFile, type Loaded } from './load-legacy-file';
import { RemoteIngestClient, type RemoteIngestOptions } from './remote-legacy-client';
import {
  LEGACY_BATCH,
  sourceDirKey,
  type BatchManifest,
  type EventBody,
  type LegacySource,
  type RemoteDecision,
} from './remote-wire';

/** A record as `GET legacy/files` lists it: its decision, run status, and size/mtime (for quick rescans). */
type ListedFile = DirFileReport & { id: number; bytes: number | null; mtime: number | null };

/**
 * A Kelly server as an IngestTarget: the folder is read here exactly as for a local pass (scanLegacyDir,
 * loadLegacyFile: no symbolic link followed, nothing over 64 MiB read, one version per read) and what was read
 * is sent to the server, which imports it with the local pipeline under `host:/abs/path`. A file whose sha256
 * the server already holds for its path is not sent again. Requests wait for an unreachable server (see
 * RemoteIngestOptions.giveUpAfterMs); the folder itself is the durable state, so a watcher stopped before the
 * server came back sends what is left at its next start.
 */
export function remoteIngestTarget(
  options: RemoteIngestOptions,
): IngestTarget & { client: RemoteIngestClient } {
  const client = new RemoteIngestClient(options);
  const source = (root: string): LegacySource => ({ host: client.host, dir: resolve(root) });

  const send = async (src: LegacySource, loaded: Loaded): Promise<RemoteDecision> => {
    if (loaded.kind === 'file') {
      const { relPath, bytes, mtimeMs } = loaded.input;
      return client.request<RemoteDecision>('PUT', 'files', {
        input: { ...src, relPath, ...(mtimeMs === undefined ? {} : { mtimeMs }) },
        bytes,
        sha256: sha256Hex(bytes),
      });
    }
    if (loaded.kind === 'same') throw new Error('a file found unchanged is not sent');
    const relPath = loaded.kind === 'gone' ? relPathOf(src.dir, loaded.path) : loaded.relPath;
    const event: EventBody =
      loaded.kind === 'gone'
        ? { ...src, kind: 'gone', relPath }
        : loaded.kind === 'tooLarge'
          ? { ...src, kind: 'tooLarge', relPath, size: loaded.size, mtimeMs: loaded.mtimeMs }
          : { ...src, kind: 'unreadable', relPath, error: loaded.error.slice(0, 2000) };
    return client.request<RemoteDecision>('POST', 'events', { json: event });
  };
  /** Several files in one request (see LEGACY_BATCH), imported in one transaction; decisions in order. */
  const sendBatch = async (src: LegacySource, files: LegacyFileInput[]): Promise<RemoteDecision[]> => {
    const form = new FormData();
    const manifest: BatchManifest = files.map((f) => ({
      relPath: f.relPath,
      ...(f.mtimeMs === undefined ? {} : { mtimeMs: f.mtimeMs }),
      sha256: sha256Hex(f.bytes),
    }));
    form.append('manifest', JSON.stringify(manifest));
    for (const f of files) form.append('file', new Blob([f.bytes as Uint8Array<ArrayBuffer>]));
    const r = await client.request<{ decisions: RemoteDecision[] }>('POST', 'files', { input: src, form });
    return r.decisions;
  };
  const list = async (src: LegacySource) =>
    (await client.request<{ files: ListedFile[] }>('GET', 'files', { input: src })).files;
  const logged = (d: IngestDecision, options: IngestOptions) => {
    if (d.changed || options.logUnchanged) options.log?.(logLine(d));
    return d;
  };

  return {
    client,
    location: client.uri,
    async ingestDir(root, options) {
      const src = source(root);
      const { files: onDisk, skipped } = await scanLegacyDir(src.dir);
      if (!options.quick) for (const s of skipped) options.log?.(`skipped ${s.relPath}: ${s.reason}`);
      const before = new Map((await list(src)).map((f) => [f.relPath, f]));
      const changed = new Map<string, boolean>();
      const present = new Set<string>();
      // in import order (as a local pass), so duplicates and conflicts are decided alike: files in batches, a
      // file without bytes (gone, too large, unreadable) after the batch before it
      let batch: LegacyFileInput[] = [];
      let batchBytes = 0;
      const flush = async () => {
        if (batch.length === 0) return;
        const sent = batch;
        batch = [];
        batchBytes = 0;
        for (const d of await sendBatch(src, sent)) changed.set(logged(d, options).relPath, d.changed);
      };
      for (const path of onDisk) {
        const relPath = relPathOf(src.dir, path);
        present.add(relPath);
        const k = before.get(relPath);
        const loaded = await loadLegacyFile(
          src.dir,
          path,
          options.quick && k
            ? () => ({ id: k.id, mtime: k.mtime, bytes: k.bytes, outcome: k.outcome })
            : undefined,
        );
        if (loaded.kind === 'same') continue;
        if (
          loaded.kind === 'file' &&
          k &&
          k.outcome !== 'missing' &&
          k.sha256 === sha256Hex(loaded.input.bytes)
        ) {
          logged({ ...k, changed: false }, options);
          continue;
        }
        if (loaded.kind === 'file') {
          const size = loaded.input.bytes.length;
          if (batch.length > 0 && batchBytes + size > LEGACY_BATCH.maxBytes) await flush();
          batch.push(loaded.input);
          batchBytes += size;
          if (batch.length >= LEGACY_BATCH.maxFiles) await flush();
          continue;
        }
        await flush();
        const d = logged(await send(src, loaded), options);
        changed.set(d.relPath, d.changed);
      }
      await flush();
      for (const [relPath, k] of before)
        if (!present.has(relPath) && k.outcome !== 'missing') {
          const d = logged(await send(src, { kind: 'gone', path: resolve(src.dir, relPath) }), options);
          changed.set(d.relPath, d.changed);
        }
      const files = (await list(src)).map(
        ({ id: _id, bytes: _bytes, mtime: _mtime, ...f }): DirFileReport => ({
          ...f,
          changed: changed.get(f.relPath) ?? false,
        }),
      );
      for (const f of files) if (f.changed) options.onChangedFile?.(f);
      const listed = options.listFiles === false ? [] : files;
      return {
        dir: sourceDirKey(src),
        files: listed,
        totals: totalsOf(files),
        skipped,
      } satisfies IngestDirResult;
    },
    async ingestFile(root, path, options) {
      const src = source(root);
      return logged(await send(src, await loadLegacyFile(src.dir, path)), options);
    },
    async markMissing(root, path, options) {
      const src = source(root);
      return logged(await send(src, { kind: 'gone', path: resolve(src.dir, path) }), options);
    },
    async startWatcher(root) {
      const src = source(root);
      return (
        await client.request<{ id: number }>('POST', 'watchers', { json: { ...src, pid: process.pid } })
      ).id;
    },
    async heartbeat(id, scanned) {
      // one attempt: a missed heartbeat shows the watcher stale on the server, which is the truth
      await client
        .request('POST', `watchers/${id}/heartbeat`, { json: { scanned }, once: true })
        .catch(() => undefined);
    },
    async stopWatcher(id) {
      await client.request('POST', `watchers/${id}/stop`, { json: {}, once: true }).catch(() => undefined);
    },
    abort: () => client.abort(),
  };
}

/** One pass over `dir` into a Kelly server (see remoteIngestTarget): `kelly ingest --tracking-uri`. */
export function ingestDirRemote(
  dir: string,
  options: RemoteIngestOptions & Pick<IngestOptions, 'logUnchanged'>,
): Promise<IngestDirResult> {
  return remoteIngestTarget(options).ingestDir(dir, { log: options.log, logUnchanged: options.logUnchanged });
}
