/**
 * Real-browser tests: Debian's Chromium (playwright-core) against the production build (`next start`) over a
 * seeded KELLY_HOME. Builds once if the build is missing or stale. A failing test saves a screenshot in
 * apps/dashboard/test-results/ (gitignored).
 */
import { chromium } from '@kelly/test-support';
import { openTracker } from '@kelly/tracking';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser';
import { startDashboard, type DashboardServer } from './support/dashboard-server';
import { addPromotableRun, SEED, seedDashboard, VENDOR_RTNEURAL } from './support/seed';

/** Bounded waits for conditions the page reaches asynchronously (generous: CI machines are shared). */
const POLL = { timeout: 15_000, interval: 100 };
const browserNeed = chromium();
const shots = join(import.meta.dirname, '..', 'test-results');
let home: string;
let server: DashboardServer;
let browser: Browser;
let page: Page;

/** Saves a full-page screenshot named after the test when it fails. */
function screenshotOnFailure(onTestFailed: (fn: () => Promise<void>) => void, name: string): void {
  onTestFailed(async () => {
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  });
}

/** Counts pixels of the chart canvas close to the marker red (#dc2626). */
function redPixels(p: Page, metric: string): Promise<number> {
  return p.$eval(`[data-testid=chart][data-metric="${metric}"] canvas`, (c) => {
    const canvas = c as HTMLCanvasElement;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4)
      if (data[i]! > 200 && data[i + 1]! < 70 && data[i + 2]! < 70) n++;
    return n;
  });
}

/** GET with the path sent exactly as written (no URL normalisation of `..`). */
function rawGet(url: string, path: string): Promise<number> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: 'GET' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Checks the gates of `runId` on the models page and confirms; returns the result line. */
async function promoteThroughPage(runId: string): Promise<string> {
  await page.goto(`${server.url}/models?run=${runId}`);
  await page.click('[data-testid=check-gates]');
  const report = page.locator('[data-testid=promote-panel] [data-testid=gate-report]');
  await report.waitFor({ timeout: 30_000 });
  expect(await report.getAttribute('data-passed')).toBe('true');
  await page.click('[data-testid=confirm-promote]');
  const result = page.locator('[data-testid=promote-result]');
  await expect.poll(() => result.textContent(), POLL).toMatch(/is now production/);
  return (await result.textContent()) ?? '';
}

// Every test stands alone (its own runs and models where it writes), so any order passes.
describe.skipIf(!browserNeed.present)(`dashboard in Chromium (${browserNeed.needs})`, () => {
  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'kelly-browser-'));
    await seedDashboard(home);
    server = await startDashboard(home, { KELLY_RTNEURAL_DIR: VENDOR_RTNEURAL });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('runs list shows the CRASHED run and the zero_loss run distinctly', async ({ onTestFailed }) => {
    screenshotOnFailure(onTestFailed, 'runs-list');
    await page.goto(`${server.url}/`);
    await page.waitForSelector('[data-testid=runs-table][data-loaded=true]');
    const crashed = page.locator(`tr[data-run-id="${SEED.crashed}"]`);
    expect(await crashed.locator('.chip').textContent()).toBe('CRASHED');
    expect(await crashed.locator('[data-rule=zero_loss]').count()).toBe(0);
    const zero = page.locator(`tr[data-run-id="${SEED.zeroLoss}"]`);
    expect(await zero.locator('.chip').textContent()).toBe('FINISHED');
    expect(await zero.locator('[data-rule=zero_loss]').getAttribute('class')).toContain('error');
    // CRASHED must not look like FAILED or KILLED: its own colour.
    const bg = (sel: string) => page.$eval(sel, (e) => getComputedStyle(e).backgroundColor);
    const crashedBg = await bg(`tr[data-run-id="${SEED.crashed}"] .chip`);
    expect(crashedBg).not.toBe(await bg(`tr[data-run-id="${SEED.failed}"] .chip`));
    expect(crashedBg).not.toBe(await bg(`tr[data-run-id="${SEED.healthyA}"] .chip`));
  });

  it('filtering by anomaly rule narrows the list (and the URL keeps the filter)', async ({
    onTestFailed,
  }) => {
    screenshotOnFailure(onTestFailed, 'runs-filter');
    await page.goto(`${server.url}/`);
    await page.waitForSelector('[data-testid=runs-table][data-loaded=true]');
    // other tests may have added runs: at least the seed's seven, narrowed to the one zero_loss run
    expect(await page.locator('tbody tr[data-run-id]').count()).toBeGreaterThanOrEqual(7);
    await page.selectOption('select[aria-label="filter anomaly"]', 'zero_loss');
    await page.waitForURL(/anomaly=zero_loss/);
    await expect.poll(() => page.locator('tbody tr[data-run-id]').count(), POLL).toBe(1);
    expect(await page.locator('tbody tr[data-run-id]').getAttribute('data-run-id')).toBe(SEED.zeroLoss);
  });

  it('a run page draws its charts and marks the NaN step', async ({ onTestFailed }) => {
    screenshotOnFailure(onTestFailed, 'run-page');
    await page.goto(`${server.url}/runs/${SEED.nanRun}`);
    const chart = page.locator('[data-testid=chart][data-metric=loss]');
    await chart.locator('canvas').waitFor();
    expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThan(100);
    expect(await chart.getAttribute('data-nonfinite')).toContain(`NaN@${SEED.nanStep}`);
    expect(await chart.locator('[data-testid=nonfinite-marks]').textContent()).toContain(
      `NaN at step ${SEED.nanStep}`,
    );
    await expect.poll(() => redPixels(page, 'loss'), POLL).toBeGreaterThan(50);
    // The anomaly evidence spells the value out.
    expect(await page.locator('[data-testid=run-anomalies] tr[data-rule=nan_loss]').textContent()).toContain(
      'NaN',
    );
    // A healthy run has no marks.
    await page.goto(`${server.url}/runs/${SEED.healthyA}`);
    await page.locator('[data-testid=chart][data-metric=loss] canvas').waitFor();
    expect(await page.locator('[data-testid=nonfinite-marks]').count()).toBe(0);
    expect(await redPixels(page, 'loss')).toBe(0);
  });

  it('comparing two runs shows only the differing config keys, all on toggle', async ({ onTestFailed }) => {
    screenshotOnFailure(onTestFailed, 'compare');
    await page.goto(`${server.url}/compare?runs=${SEED.healthyA},${SEED.healthyB}`);
    await page.waitForSelector('[data-testid=config-diff]');
    const keys = () =>
      page
        .locator('[data-testid=config-diff] tbody tr[data-key]')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')));
    expect(await keys()).toEqual(['batch_size', 'optimizer.lr']);
    await page.check('[data-testid=config-show-all]');
    expect((await keys()).length).toBeGreaterThan(5);
    // The loss chart overlays each run's training and validation loss, one colour per run.
    const legend = await page.locator('[data-testid=chart][data-metric=loss] .u-legend .u-series').count();
    expect(legend).toBe(5); // x + two runs × (loss, val_loss)
  });

  it('models page: checks the gates, promotes on confirmation, then lists the promoted version', async ({
    onTestFailed,
  }) => {
    screenshotOnFailure(onTestFailed, 'models');
    await page.goto(`${server.url}/models?run=${SEED.promotable}`);
    await page.click('[data-testid=check-gates]');
    const report = page.locator('[data-testid=promote-panel] [data-testid=gate-report]');
    await report.waitFor({ timeout: 30_000 });
    expect(await report.getAttribute('data-passed')).toBe('true');
    expect(await report.locator('tr[data-gate=rtneural_valid]').getAttribute('data-verdict')).toBe('pass');
    await page.click('[data-testid=confirm-promote]');
    expect(await page.locator('[data-testid=promote-result]').textContent()).toContain(
      'groovepredictor v1 is now production',
    );
    const row = page.locator('[data-testid=models-table] tr[data-model=groovepredictor]');
    await expect.poll(() => row.locator('td').nth(6).textContent(), POLL).toBe('v1');
    await page.goto(`${server.url}/models?model=groovepredictor`);
    const version = page.locator('[data-testid=versions] tr[data-version="1"]');
    await version.waitFor();
    expect(await version.textContent()).toContain('production');
    expect(await version.textContent()).toContain(SEED.promotable);
    expect(await page.locator('[data-testid=history] tr[data-action=promote]').count()).toBe(1);
  });

  it('models page: a newer production version rolls back to the one before on confirmation', async ({
    onTestFailed,
  }) => {
    screenshotOnFailure(onTestFailed, 'rollback');
    // its own model (not the seed's groovepredictor): v1, then v2 production
    await addPromotableRun(home, 'rollback-v1', { experiment: 'dynamicsengine', bias: 0.07 });
    await addPromotableRun(home, 'rollback-v2', { experiment: 'dynamicsengine', bias: 0.08 });
    expect(await promoteThroughPage('rollback-v1')).toContain('dynamicsengine v1 is now production');
    expect(await promoteThroughPage('rollback-v2')).toContain('dynamicsengine v2 is now production (was v1)');
    await page.goto(`${server.url}/models?model=dynamicsengine`);
    const button = page.locator('[data-testid=rollback-production]');
    await button.waitFor();
    expect(await button.textContent()).toContain('v2 → v1');
    await button.click();
    await page.fill('[data-testid=rollback-reason]', 'v2 clicks at buffer edges');
    await page.click('[data-testid=confirm-rollback]');
    await expect
      .poll(() => page.locator('[data-testid=rollback-result]').textContent(), POLL)
      .toBe('dynamicsengine production: v2 → v1 — republished');
    const row = page.locator('[data-testid=models-table] tr[data-model=dynamicsengine]');
    await expect.poll(() => row.locator('td').nth(6).textContent(), POLL).toBe('v1');
    const event = page.locator('[data-testid=history] tr[data-action=rollback]');
    await expect.poll(() => event.count(), POLL).toBe(1);
    expect(await event.textContent()).toContain('v2 clicks at buffer edges');
    // v1 was reached by its own first promotion: nothing earlier to roll back to
    expect(await page.locator('[data-testid=rollback-production]').count()).toBe(0);
  });

  it('downloads an artifact, and answers 404 for a path outside the artifact root', async () => {
    const ok = await fetch(`${server.url}/api/artifacts/${SEED.healthyA}/melodytransformer.json`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('{"layers":[]}');
    expect((await fetch(`${server.url}/api/artifacts/..%2Fsecret.txt`)).status).toBe(404);
    expect((await fetch(`${server.url}/api/artifacts/${SEED.healthyA}/..%2F..%2Ftracking.db`)).status).toBe(
      404,
    );
    expect(await rawGet(server.url, '/api/artifacts/../secret.txt')).toBe(404);
  });

  it('updates a RUNNING run live, without reloading', async ({ onTestFailed }) => {
    screenshotOnFailure(onTestFailed, 'live');
    const tracker = openTracker({ home, handleSignals: false });
    try {
      const run = await tracker.startRun({
        id: 'live-run',
        experiment: 'melodytransformer',
        config: { epochs: 1 },
      });
      run.logMetrics({ loss: 1 }, { step: 0 });
      run.flush();
      await page.goto(`${server.url}/`);
      const chip = page.locator('tr[data-run-id="live-run"] .chip');
      await chip.filter({ hasText: 'RUNNING' }).waitFor();
      await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
      await run.end();
      // No navigation: the table polls while a run is RUNNING.
      await expect.poll(() => chip.textContent(), POLL).toBe('FINISHED');
      expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(
        true,
      );
    } finally {
      tracker.close();
    }
  });
});
