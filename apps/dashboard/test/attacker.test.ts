/**
 * A hostile page in real Chromium: served from another loopback address (127.0.0.2, its own port) and from
 * another port of 127.0.0.1 (same site, other origin), it tries to read the runs list and to promote a model
 * to production: with CORS fetches, no-CORS fetches, a text/plain POST, an auto-submitted form, <script> and
 * <img>. It reads nothing, every request that reaches the dashboard is answered 403, and the store is unchanged.
 * A control runs the same script from the dashboard's own origin, where it reads the list.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium } from '@kelly/test-support';
import { launchChromium } from './support/browser';
import { startDashboard, type DashboardServer } from './support/dashboard-server';
import { SEED, seedDashboard } from './support/seed';
import { storeSnapshot } from './support/store-snapshot';

let home: string;
let dashboard: DashboardServer;
let browser: Browser;
const attackers: Server[] = [];

/** What the hostile script reports, one entry per attempt. */
type Outcome = Record<string, string>;

/** The attack, run in the page: returns what each attempt could see. `target` is the dashboard's origin. */
async function attack({ target, runId }: { target: string; runId: string }): Promise<Outcome> {
  const out: Record<string, string> = {};
  const list = `${target}/api/trpc/runs.list?input=${encodeURIComponent('{}')}`;
  const promote = `${target}/api/trpc/models.promote`;
  const body = JSON.stringify({ runId, alias: 'production', force: true, reason: 'attack' });
  const attempt = async (name: string, f: () => Promise<string>) => {
    try {
      out[name] = await f();
    } catch (e) {
      out[name] = `error ${(e as Error).name}`;
    }
  };
  await attempt('read', async () => {
    const r = await fetch(list);
    return `${r.status} ${(await r.text()).slice(0, 200)}`;
  });
  await attempt('read no-cors', async () => {
    const r = await fetch(list, { mode: 'no-cors' });
    return `${r.type} ${r.status} ${await r.text()}`;
  });
  await attempt('promote json', async () => {
    const r = await fetch(promote, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    return `${r.status} ${await r.text()}`;
  });
  await attempt('promote text/plain', async () => {
    const r = await fetch(promote, {
      method: 'POST',
      mode: 'no-cors',
      headers: { 'content-type': 'text/plain' },
      body,
    });
    return `${r.type} ${r.status}`;
  });
  await attempt('promote form', async () => {
    const frame = document.createElement('iframe');
    frame.name = 'sink';
    const blank = new Promise((r) => frame.addEventListener('load', r, { once: true }));
    document.body.append(frame);
    await blank;
    const form = document.createElement('form');
    Object.assign(form, { method: 'POST', action: promote, target: 'sink', enctype: 'text/plain' });
    const field = document.createElement('input');
    Object.assign(field, { name: body.slice(0, -1), value: '}' });
    form.append(field);
    document.body.append(form);
    const loaded = new Promise((r) => frame.addEventListener('load', r, { once: true }));
    form.submit();
    await loaded;
    // the response page is the dashboard's: another origin, so no document to read
    const doc = frame.contentDocument;
    return doc ? `read ${doc.body.textContent ?? ''}` : 'no access';
  });
  for (const tag of ['script', 'img'] as const)
    await attempt(tag, () => {
      const el = document.createElement(tag);
      const done = new Promise<string>((r) => {
        el.addEventListener('load', () => r('load'));
        el.addEventListener('error', () => r('error'));
      });
      el.setAttribute('src', list);
      document.body.append(el);
      return done;
    });
  return out;
}

/** An attacker web server on `host`: serves an empty page; the test injects the attack into it. */
function attackerServer(host: string): Promise<string> {
  const srv = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>cute cat pictures</title><body></body>');
  });
  attackers.push(srv);
  return new Promise((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const a = srv.address();
      resolve(typeof a === 'object' && a ? `http://${host}:${a.port}` : '');
    });
  });
}

/** Every response the page got from the dashboard's origin: `METHOD path status`. */
function dashboardResponses(page: Page, origin: string): string[] {
  const seen: string[] = [];
  page.on('response', (r) => {
    const url = new URL(r.url());
    if (url.origin === origin) seen.push(`${r.request().method()} ${url.pathname} ${r.status()}`);
  });
  return seen;
}

const browserNeed = chromium();

describe.skipIf(!browserNeed.present)(`a hostile page in Chromium (${browserNeed.needs})`, () => {
  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'kelly-attacker-'));
    await seedDashboard(home);
    dashboard = await startDashboard(home);
    browser = await launchChromium();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    for (const s of attackers) s.close();
    await dashboard?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  for (const host of ['127.0.0.2', '127.0.0.1'])
    it(`served from ${host} on another port: reads nothing, promotes nothing, store unchanged`, async () => {
      const before = storeSnapshot(home);
      const origin = await attackerServer(host);
      const page = await browser.newPage();
      try {
        const seen = dashboardResponses(page, dashboard.url);
        await page.goto(`${origin}/`);
        const result = await page.evaluate(attack, { target: dashboard.url, runId: SEED.promotable });
        expect(result).toEqual({
          read: 'error TypeError',
          'read no-cors': 'opaque 0 ',
          'promote json': 'error TypeError',
          'promote text/plain': 'opaque 0',
          'promote form': 'no access',
          script: 'error',
          img: 'error',
        });
        // the server itself refused: every request that reached it got 403
        expect(seen.length).toBeGreaterThanOrEqual(3);
        for (const s of seen) expect(s).toMatch(/ 403$/);
        expect(seen).toContain('POST /api/trpc/models.promote 403');
        expect(seen).toContain('GET /api/trpc/runs.list 403');
        expect(storeSnapshot(home)).toBe(before);
      } finally {
        await page.close();
      }
    });

  it('control: the same script from the dashboard itself reads the runs list', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(`${dashboard.url}/api/health`);
      const read = await page.evaluate(async (t) => {
        const r = await fetch(`${t}/api/trpc/runs.list?input=${encodeURIComponent('{}')}`);
        return `${r.status} ${await r.text()}`;
      }, dashboard.url);
      expect(read).toMatch(/^200 /);
      expect(read).toContain(SEED.promotable);
    } finally {
      await page.close();
    }
  });
});
