/**
 * The tracking API inside the dashboard's Next.js server (`/api/tracking/`, beside tRPC): a remote client logs a
 * run with points and an artifact through the production build, and the dashboard's store holds it. The store is
 * <home>/tracking.db, or in dashboard@pg a PostgreSQL database handed to Next as KELLY_DATABASE_URL.
 */
import { ingestDirRemote, listIngestFiles } from '@kelly/legacy';
import { fixture, testStoreLocation } from '@kelly/test-support';
import { getRun, openTracker } from '@kelly/tracking';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard, storeEnv, type DashboardServer } from './support/dashboard-server';

let dir: string;
let server: DashboardServer;
let store: string;
/** A reader of the server's store. */
const openServerStore = () => openTracker({ home: join(dir, 'server'), path: store, handleSignals: false });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kelly-dash-tracking-'));
  store = testStoreLocation(join(dir, 'server'), 'tracking.db');
  server = await startDashboard(join(dir, 'server'), storeEnv(store));
}, 300_000);

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('/api/tracking in the dashboard server', () => {
  it('a remote run logs points and a 3 MB artifact through Next and shows in the store', async () => {
    const client = openTracker({ trackingUri: server.url, home: join(dir, 'client'), handleSignals: false });
    const run = await client.startRun({ experiment: 'dash-remote', config: { lr: 0.1 } });
    for (let i = 0; i < 3000; i++) run.logMetrics({ loss: 1 / (i + 1) }, { step: i, epoch: i >> 8 });
    const file = join(dir, 'weights.bin');
    writeFileSync(file, Buffer.alloc(3 * 1024 * 1024, 3));
    await run.logArtifact(file, { kind: 'model' });
    await run.end();
    await client.close();
    expect(client.queue.stats.refused).toBe(0);

    const list = (await (await fetch(`${server.url}/api/tracking/runs`)).json()) as {
      items: { id: string }[];
    };
    expect(list.items.map((r) => r.id)).toEqual([run.id]);
    const t = openServerStore();
    try {
      const d = getRun(t, run.id);
      expect(d).toMatchObject({ status: 'FINISHED', metrics: [{ key: 'loss', count: 3000 }] });
      expect(d.artifacts).toMatchObject([{ kind: 'model', bytes: 3 * 1024 * 1024 }]);
      expect(readFileSync(join(t.paths.artifacts, run.id, 'weights.bin')).equals(readFileSync(file))).toBe(
        true,
      );
    } finally {
      t.close();
    }
  });
});

const legacyLogs = fixture('legacy-logs');

describe.skipIf(!legacyLogs.present)(
  `/api/tracking/legacy in the dashboard server (${legacyLogs.needs})`,
  () => {
    it('a remote pass imports legacy logs through Next (host:path in the ingestion records); another site gets 403', async () => {
      const logs = join(dir, 'legacy logs');
      mkdirSync(logs);
      for (const name of ['melodytransformer_20251226_092149.json', 'groovepredictor_20251228_150001.json'])
        copyFileSync(join(legacyLogs.path, name), join(logs, name));
      const result = await ingestDirRemote(logs, {
        trackingUri: server.url,
        host: 'studio-mac',
        giveUpAfterMs: 0,
      });
      expect(result.files.map((f) => [f.relPath, f.outcome, f.runStatus])).toEqual([
        ['groovepredictor_20251228_150001.json', 'unparseable', null],
        ['melodytransformer_20251226_092149.json', 'imported', 'FINISHED'],
      ]);
      const t = openServerStore();
      try {
        const items = listIngestFiles(t, { dir: `studio-mac:${logs}` }).items;
        expect(items.map((f) => [f.host, f.path]).sort()).toEqual([
          ['studio-mac', `studio-mac:${logs}/groovepredictor_20251228_150001.json`],
          ['studio-mac', `studio-mac:${logs}/melodytransformer_20251226_092149.json`],
        ]);
      } finally {
        t.close();
      }
      // the dashboard's request policy holds for this route too: a write from another site's page is refused
      const refused = await fetch(`${server.url}/api/tracking/legacy/events`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          origin: 'https://evil.example',
          'sec-fetch-site': 'cross-site',
        },
        body: JSON.stringify({ host: 'evil-box', dir: '/x', kind: 'gone', relPath: 'a.json' }),
      });
      expect(refused.status).toBe(403);
    });
  },
);
