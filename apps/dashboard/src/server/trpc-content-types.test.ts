/**
 * Defence in depth under the proxy: tRPC's own HTTP handler (the one the /api/trpc route serves) refuses the
 * POSTs a cross-site HTML form or a no-CORS fetch can send (text/plain, form-encoded, multipart) even if the
 * proxy's Origin check were missing, and a mutation never runs over GET. Real store (SQLite file, or PostgreSQL in
 * dashboard@pg).
 */
import { testStoreLocation } from '@kelly/test-support';
import { openTracker, type Tracker } from '@kelly/tracking';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContextInner } from './context';
import { appRouter } from './root';

let home: string;
let tracker: Tracker;
const tagsOf = () =>
  (tracker.sql.prepare(`SELECT tags FROM runs WHERE id = 'r1'`).pluck().get() as string) ?? '';

const call = (method: string, path: string, contentType?: string, body?: string) =>
  fetchRequestHandler({
    endpoint: '/api/trpc',
    req: new Request(`http://127.0.0.1/api/trpc/${path}`, {
      method,
      body,
      headers: contentType ? { 'content-type': contentType } : {},
    }),
    router: appRouter,
    createContext: () => createContextInner({ tracker }),
  });

describe('tRPC HTTP handler without the proxy', () => {
  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'kelly-trpc-ct-'));
    tracker = openTracker({ home, path: testStoreLocation(home, 'tracking.db'), handleSignals: false });
    const run = await tracker.startRun({ id: 'r1', experiment: 'e', config: {} });
    await run.end();
  });
  afterAll(() => {
    tracker.close();
    rmSync(home, { recursive: true, force: true });
  });

  it('refuses simple cross-site POST bodies (415/400) and leaves the run untouched', async () => {
    const before = tagsOf();
    const body = JSON.stringify({ id: 'r1', tags: ['forged'] });
    expect((await call('POST', 'runs.update', 'text/plain', body)).status).toBe(415);
    expect(
      (await call('POST', 'runs.update', 'application/x-www-form-urlencoded', 'id=r1&tags=forged')).status,
    ).toBe(415);
    expect([400, 415]).toContain(
      (await call('POST', 'runs.update', 'multipart/form-data; boundary=x', '--x--')).status,
    );
    expect((await call('GET', `runs.update?input=${encodeURIComponent(body)}`)).status).toBe(405);
    expect(tagsOf()).toBe(before);
    expect((await call('POST', 'runs.update', 'application/json', body)).status).toBe(200);
    expect(tagsOf()).toContain('forged');
  });
});
