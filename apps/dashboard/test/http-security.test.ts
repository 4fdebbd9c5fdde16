/**
 * The request policy over plain HTTP against the production build (`next start`) on a seeded KELLY_HOME:
 * the DNS-rebinding request of issue 19, same-origin writes, fetch-metadata isolation, body limits, the pages'
 * CSP and how artifacts are served. Raw `node:http` requests, so every header is exactly what is written here.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createToken, openTracker } from '@kelly/tracking';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard, type DashboardServer } from './support/dashboard-server';
import { send, type Reply } from './support/raw-http';
import { SEED, seedDashboard } from './support/seed';
import { storeSnapshot } from './support/store-snapshot';

let home: string;
let server: DashboardServer;

const promotion = JSON.stringify({
  runId: SEED.promotable,
  alias: 'production',
  force: true,
  reason: 'rebinding test',
});

describe('request policy over HTTP (next start)', () => {
  let own: { Host: string; Origin: string };
  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'kelly-security-'));
    await seedDashboard(home);
    const art = join(home, 'artifacts', SEED.healthyA);
    mkdirSync(art, { recursive: true });
    writeFileSync(join(art, 'page.html'), '<script>fetch("/api/trpc/runs.list")</script>');
    writeFileSync(join(art, 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>');
    writeFileSync(join(art, 'take 1 é.wav'), Buffer.from('RIFF\0\0\0\0WAVEfmt '));
    writeFileSync(join(art, 'report.json'), '{"<html>":1}');
    server = await startDashboard(home, { KELLY_DASHBOARD_ALLOWED_HOSTS: 'kelly.lan' });
    own = { Host: `127.0.0.1:${server.port}`, Origin: `http://127.0.0.1:${server.port}` };
  }, 240_000);

  afterAll(async () => {
    await server?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('refuses the DNS-rebinding promotion with 403 and changes nothing', async () => {
    const before = storeSnapshot(home);
    const r = await send(
      server.port,
      'POST',
      '/api/trpc/models.promote',
      {
        Host: `evil.example:${server.port}`,
        Origin: `http://evil.example:${server.port}`,
        'Content-Type': 'application/json',
      },
      promotion,
    );
    expect(r.status).toBe(403);
    expect(r.body).toMatch(/^Host not allowed: "evil\.example:\d+"/);
    // the same from the rebinding page's own origin but a loopback Host: its Origin gives it away
    const r2 = await send(
      server.port,
      'POST',
      '/api/trpc/models.promote',
      { Host: own.Host, Origin: `http://evil.example:${server.port}`, 'Content-Type': 'application/json' },
      promotion,
    );
    expect(r2.status).toBe(403);
    expect(r2.body).toMatch(/^Origin: http:\/\/evil\.example/);
    // reads too: nothing of the store reaches a foreign Host
    expect(
      (await send(server.port, 'GET', '/api/trpc/runs.list?input=%7B%7D', { Host: 'evil.example' })).status,
    ).toBe(403);
    expect((await send(server.port, 'GET', '/', { Host: 'evil.example' })).status).toBe(403);
    expect((await send(server.port, 'GET', '/api/health', { Host: 'evil.example' })).status).toBe(403);
    expect(storeSnapshot(home)).toBe(before);
  });

  it('serves an --allowed-host name and the loopback names', async () => {
    for (const host of ['kelly.lan', `localhost:${server.port}`, `[::1]:${server.port}`])
      expect((await send(server.port, 'GET', '/api/health', { Host: host })).status).toBe(200);
  });

  it('runs a same-origin mutation; refuses it without Origin, from another origin, or as a simple cross-site POST', async () => {
    const update = JSON.stringify({ id: SEED.healthyB, tags: ['seed', 'checked'] });
    const before = storeSnapshot(home);
    const refused: Record<string, string>[] = [
      { Host: own.Host, 'Content-Type': 'application/json' },
      { ...own, Origin: `http://127.0.0.1:${server.port + 1}`, 'Content-Type': 'application/json' },
      { ...own, Origin: 'http://127.0.0.2:4000', 'Content-Type': 'text/plain' },
      { ...own, Origin: 'null', 'Content-Type': 'application/x-www-form-urlencoded' },
      { Host: own.Host, 'Sec-Fetch-Site': 'cross-site', 'Content-Type': 'multipart/form-data; boundary=x' },
    ];
    for (const headers of refused) {
      const r = await send(server.port, 'POST', '/api/trpc/runs.update', headers, update);
      expect(r.status, JSON.stringify(headers)).toBe(403);
    }
    expect(storeSnapshot(home)).toBe(before);
    const ok = await send(
      server.port,
      'POST',
      '/api/trpc/runs.update',
      { ...own, 'Content-Type': 'application/json' },
      update,
    );
    expect(ok.status).toBe(200);
    expect(storeSnapshot(home)).not.toBe(before);
  });

  it('isolates /api from other sites by fetch metadata; a page stays reachable by link', async () => {
    const list = '/api/trpc/runs.facets';
    expect(
      (await send(server.port, 'GET', list, { Host: own.Host, 'Sec-Fetch-Site': 'cross-site' })).status,
    ).toBe(403);
    expect(
      (await send(server.port, 'GET', list, { Host: own.Host, 'Sec-Fetch-Site': 'same-site' })).status,
    ).toBe(403);
    expect(
      (await send(server.port, 'GET', list, { Host: own.Host, 'Sec-Fetch-Site': 'same-origin' })).status,
    ).toBe(200);
    expect(
      (await send(server.port, 'GET', '/', { Host: own.Host, 'Sec-Fetch-Site': 'cross-site' })).status,
    ).toBe(200);
  });

  it('refuses a body over 1 MiB with 413 and a body of undeclared length with 411, before tRPC parses it', async () => {
    const big = Buffer.alloc(1024 * 1024 + 1, 0x20);
    const over = await send(
      server.port,
      'POST',
      '/api/trpc/runs.update',
      { ...own, 'Content-Type': 'application/json' },
      big,
    );
    expect(over.status).toBe(413);
    expect(over.body).toMatch(/^Content-Length: 1048577 bytes is over the 1048576-byte request limit/);
    const chunked = await send(
      server.port,
      'POST',
      '/api/trpc/runs.update',
      { ...own, 'Content-Type': 'application/json' },
      '{"id":"x"}',
      true,
    );
    expect(chunked.status).toBe(411);
  });

  const postTracking = (headers: Record<string, string>) =>
    send(server.port, 'POST', '/api/tracking/runs', { ...headers, 'Content-Type': 'application/json' }, '{}');

  it('zero setup (no token created): /api/tracking takes a tokenless loopback client, not a bad token or another site', async () => {
    // past the auth, the route refuses the empty body itself, naming a field
    for (const headers of [{ Host: own.Host }, own]) {
      const r = await postTracking(headers);
      expect(r.status).toBe(400);
      expect(r.body).toMatch(/[\w.]+: /);
    }
    const bad = await postTracking({ ...own, Authorization: 'Bearer not-a-token' });
    expect(bad.status).toBe(401);
    expect(bad.headers['www-authenticate']).toBe('Bearer');
    expect((await postTracking({ Host: own.Host, Origin: 'http://evil.example' })).status).toBe(403);
  });

  it('once a token exists, /api/tracking answers 401 without a valid bearer token, whatever the Origin', async () => {
    const tracker = openTracker({ home, handleSignals: false });
    const { token, info } = createToken(tracker.sql, { scope: 'write', name: 'http-security test' });
    try {
      for (const headers of [own, { ...own, Authorization: 'Bearer not-a-token' }, { Host: own.Host }]) {
        const r = await postTracking(headers);
        expect(r.status).toBe(401);
        expect(r.headers['www-authenticate']).toBe('Bearer');
      }
      // the valid token gets past the auth (the route then refuses the empty body)
      expect((await postTracking({ Host: own.Host, Authorization: `Bearer ${token}` })).status).toBe(400);
    } finally {
      // back to zero setup, so the other tests do not depend on this one's order
      tracker.sql.prepare(`DELETE FROM api_tokens WHERE id = ?`).run(info.id);
      tracker.close();
    }
  });

  it('gives every page a CSP with a fresh nonce that its scripts carry', async () => {
    const a = await send(server.port, 'GET', '/', { Host: own.Host });
    const b = await send(server.port, 'GET', `/runs/${SEED.healthyA}`, { Host: own.Host });
    const nonceOf = (r: Reply) => /'nonce-([^']+)'/.exec(String(r.headers['content-security-policy']))?.[1];
    expect(nonceOf(a)).toBeTruthy();
    expect(nonceOf(a)).not.toBe(nonceOf(b));
    expect(String(a.headers['content-security-policy'])).toMatch(
      /script-src 'self' 'nonce-[^']+' 'strict-dynamic';/,
    );
    expect(String(a.headers['content-security-policy'])).toContain("object-src 'none'");
    const scripts = a.body.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const s of scripts) expect(s).toContain(`nonce="${nonceOf(a)}"`);
    expect(a.headers['x-content-type-options']).toBe('nosniff');
  });

  it('serves artifacts by an allow-list of types with nosniff: HTML and SVG only as downloads', async () => {
    const get = (name: string) =>
      send(server.port, 'GET', `/api/artifacts/${SEED.healthyA}/${encodeURIComponent(name)}`, {
        Host: own.Host,
      });
    const html = await get('page.html');
    expect(html.status).toBe(200);
    expect(html.headers['content-type']).toBe('application/octet-stream');
    expect(html.headers['content-disposition']).toMatch(/^attachment; filename="page.html"/);
    expect(html.headers['x-content-type-options']).toBe('nosniff');
    expect(String(html.headers['content-security-policy'])).toContain('sandbox');
    const svg = await get('logo.svg');
    expect([svg.headers['content-type'], String(svg.headers['content-disposition']).split(';')[0]]).toEqual([
      'application/octet-stream',
      'attachment',
    ]);
    const wav = await get('take 1 é.wav');
    expect(wav.headers['content-type']).toBe('audio/wav');
    expect(wav.headers['content-disposition']).toBe(
      `inline; filename="take 1 _.wav"; filename*=UTF-8''take%201%20%C3%A9.wav`,
    );
    const json = await get('report.json');
    expect(json.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(json.body).toBe('{"<html>":1}');
    // kept: nothing outside the artifact root
    expect(
      (await send(server.port, 'GET', '/api/artifacts/..%2Fsecret.txt', { Host: own.Host })).status,
    ).toBe(404);
    expect((await send(server.port, 'GET', '/api/artifacts/../secret.txt', { Host: own.Host })).status).toBe(
      404,
    );
  });
});
