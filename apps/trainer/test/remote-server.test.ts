/**
 * Issue 17's end-to-end claim: with a tracking server on 127.0.0.1, `trainer melody --preset smoke
 * --tracking-uri <server>` records its run, its artifacts and its media on the server, where the dashboard's queries
 * read them. The server's store comes from testStoreLocation: a SQLite file, or in trainer@pg a PostgreSQL
 * database. The trainer's own home keeps no store: only the files it wrote before uploading them, and its spool.
 */
import { testStoreLocation } from '@kelly/test-support';
import { getRun, listMedia, listRuns, openTracker, serveTrackingApi } from '@kelly/tracking';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../src/main';

const VENDOR = resolve(process.cwd(), '../shared/vendor/rtneural');
const dir = await mkdtemp(join(tmpdir(), 'kelly-trainer-remote-'));
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the trainer logging to a tracking server', { timeout: 240_000 }, () => {
  it('melody smoke: run, artifacts and media land on the server; the client opens no store', async () => {
    const serverHome = join(dir, 'server');
    mkdirSync(serverHome);
    const server = openTracker({
      home: serverHome,
      path: testStoreLocation(serverHome, 'tracking.db'),
      handleSignals: false,
    });
    const srv = await serveTrackingApi({ tracker: server, port: 0 });
    const clientHome = join(dir, 'client');
    const out: string[] = [];
    try {
      const code = await main(
        [
          'melody',
          '--preset',
          'smoke',
          '--home',
          clientHome,
          '--tracking-uri',
          srv.url,
          '--progress',
          'lines',
        ],
        { out: (l) => out.push(l), err: (l) => out.push(l), env: { KELLY_RTNEURAL_DIR: VENDOR } },
      );
      expect(code, out.join('\n')).toBe(0);
      const id = out.map((l) => /^run (\S+) started: .*server http/.exec(l)?.[1]).find(Boolean);
      expect(id, out.join('\n')).toBeDefined();

      const run = getRun(server, id!);
      expect(run).toMatchObject({ status: 'FINISHED', experiment: 'melodytransformer' });
      expect(run.metrics.find((m) => m.key === 'val_loss')?.count).toBeGreaterThan(0);
      const kinds = new Set(run.artifacts.map((a) => a.kind));
      for (const kind of ['model', 'rtneural', 'parity-report', 'media']) expect(kinds).toContain(kind);
      for (const a of run.artifacts)
        expect(existsSync(join(server.paths.artifacts, a.path)), a.path).toBe(true);
      const media = listMedia(server, { runIds: [id!] });
      expect(new Set(media.map((m) => m.mime))).toEqual(new Set(['audio/wav', 'image/png']));
      expect(listRuns(server, {}).items.map((r) => r.id)).toEqual([id]);
      // the client opened no store of its own (its home holds the files it wrote before uploading, and its spool)
      expect(readdirSync(clientHome).sort()).toEqual(['artifacts', 'spool']);
    } finally {
      await srv.close();
      server.close();
    }
  });
});
