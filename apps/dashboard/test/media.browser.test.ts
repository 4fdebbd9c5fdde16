/**
 * The run and compare pages over real training runs (the trainer CLI, smoke preset, all four model kinds), in
 * Debian's Chromium: grouped charts, values logged once in a table, media with a step slider and playable
 * audio, compare defaults and views. Full-page screenshots of each kind's run and compare pages go to
 * apps/dashboard/test-output/screenshots/ (gitignored) for a person to look at.
 */
import { chromium } from '@kelly/test-support';
import { openTracker, updateRunMeta } from '@kelly/tracking';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser';
import { startDashboard, type DashboardServer } from './support/dashboard-server';
import { trainLanes } from './support/train-runs';

const POLL = { timeout: 20_000, interval: 100 };
const browserNeed = chromium();
const shots = join(import.meta.dirname, '..', 'test-output', 'screenshots');
const smoke = (model: string, ...flags: string[]) => [model, '--preset', 'smoke', ...flags];

let home: string;
let server: DashboardServer;
let browser: Browser;
let page: Page;
let runs: Record<'melody' | 'groove' | 'emotion' | 'emotion-node', string[]>;

async function shot(name: string): Promise<void> {
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

/** Waits until every `<img>` of the media panel has loaded and returns their natural widths. */
function imageWidths(selector: string): Promise<number[]> {
  return page.$$eval(selector, (imgs) =>
    Promise.all(
      (imgs as HTMLImageElement[]).map((img) =>
        img.complete
          ? Promise.resolve(img.naturalWidth)
          : new Promise<number>((r) => (img.onload = img.onerror = () => r(img.naturalWidth))),
      ),
    ),
  );
}

/** The page fits 1280 px: nothing wider than the viewport. */
const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describe.skipIf(!browserNeed.present)(
  `run and compare pages over real training runs, in Chromium (${browserNeed.needs})`,
  () => {
    beforeAll(async () => {
      home = mkdtempSync(join(tmpdir(), 'kelly-media-browser-'));
      // Two lanes: the machine has two cores. Same seed per kind, so the validation clips are the same across runs.
      const [a, b] = await trainLanes(home, [
        [
          smoke('melody'),
          smoke('melody', '--epochs', '4', '--lr', '0.003'),
          smoke('melody', '--epochs', '4', '--lr', '0.02', '--batch-size', '16'),
          smoke('groove', '--epochs', '3'),
          smoke('groove', '--epochs', '3', '--lr', '0.003'),
        ],
        [
          smoke('emotion', '--epochs', '3'),
          smoke('emotion', '--epochs', '3', '--lr', '0.002'),
          smoke('emotion-node', '--epochs', '3', '--size', '108'),
          smoke('emotion-node', '--epochs', '2', '--size', '108', '--lr', '0.002'),
        ],
      ]);
      runs = {
        melody: a!.slice(0, 3),
        groove: a!.slice(3),
        emotion: b!.slice(0, 2),
        'emotion-node': b!.slice(2),
      };
      const tracker = openTracker({ home, handleSignals: false });
      try {
        // Tags to group by on the compare page: two learning-rate runs against one big-batch run.
        runs.melody.forEach((id, i) =>
          updateRunMeta(tracker, id, { tags: ['melody', 'smoke', i === 2 ? 'big-batch' : 'lr-sweep'] }),
        );
      } finally {
        tracker.close();
      }
      server = await startDashboard(home);
      browser = await launchChromium();
      page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    }, 900_000);

    afterAll(async () => {
      await browser?.close();
      await server?.stop();
      if (home) rmSync(home, { recursive: true, force: true });
    });

    it('melody run page: loss chart with train and validation, no chart for a single value, piano roll, playable WAV', async () => {
      const id = runs.melody[0]!;
      await page.goto(`${server.url}/runs/${id}`);
      const loss = page.locator('[data-testid=chart][data-metric=loss]');
      await loss.locator('canvas').waitFor();
      const series = (await loss.getAttribute('data-series'))!.split('|');
      expect(series).toEqual(expect.arrayContaining(['train_loss', 'val_loss']));
      expect(await loss.locator('.u-legend .u-series').count()).toBe(1 + series.length);
      // The best epoch the trainer reports is marked on the loss chart and named in the headline.
      const best = (await page.locator('[data-testid=headline-best] strong').textContent())!;
      expect(await loss.getAttribute('data-markers')).toBe(`best epoch ${best}`);
      // Values logged once are rows of a table, never charts.
      for (const single of ['final_val_f1', 'baseline_f1_all_zeros', 'rtneural_max_abs_err']) {
        expect(await page.locator(`[data-testid=chart][data-metric="${single}"]`).count()).toBe(0);
        expect(await page.locator(`[data-testid=single-values] tr[data-key="${single}"]`).count()).toBe(1);
      }
      expect(await page.locator('[data-testid=headline-task]').textContent()).toMatch(/beats it/);
      // Grouped by meaning, loss first, then the task metrics with f1 leading.
      expect(
        await page
          .locator('[data-testid=metric-groups] section')
          .evaluateAll((s) => s.map((x) => x.getAttribute('data-group'))),
      ).toEqual(['loss', 'task', 'optimisation', 'speed']);
      expect(
        await page
          .locator('section[data-group=task] [data-testid=chart]')
          .first()
          .getAttribute('data-metric'),
      ).toBe('f1');

      // Media: the piano roll of each fixed clip, and the predicted notes as audio the browser plays.
      const rolls = '[data-testid=media-item][data-key$="/piano-roll"] img';
      await page.locator(rolls).first().waitFor();
      const widths = await imageWidths(rolls);
      expect(widths.length).toBe(3);
      for (const w of widths) expect(w).toBeGreaterThan(100);
      const audio = page.locator('[data-testid=media-item][data-key$="/predicted-audio"] audio').first();
      const src = (await audio.getAttribute('src'))!;
      const res = await fetch(`${server.url}${src}`);
      expect(res.headers.get('content-type')).toBe('audio/wav');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(
        Buffer.from(await res.arrayBuffer())
          .subarray(0, 4)
          .toString(),
      ).toBe('RIFF');
      const played = await audio.evaluate(async (el) => {
        const a = el as HTMLAudioElement;
        a.muted = true;
        await a.play();
        await new Promise((r) => setTimeout(r, 300));
        return { duration: a.duration, time: a.currentTime, error: a.error?.code ?? null };
      });
      expect(played.error).toBeNull();
      expect(played.duration).toBeGreaterThan(0.5); // 48 frames of 16 ms
      expect(played.time).toBeGreaterThan(0);
      // The A/B pair: the clip itself sits next to the prediction.
      expect(await page.locator('[data-testid=media-item][data-key$="/input-audio"] audio').count()).toBe(3);

      // The step slider is a keyboard control: one step back shows an earlier model's piano roll.
      const slider = page.locator('[data-testid=media-step]');
      const lastStep = await page.locator(rolls).first().locator('..').getAttribute('data-step');
      await slider.focus();
      await page.keyboard.press('ArrowLeft');
      await expect
        .poll(
          () =>
            page
              .locator('[data-testid=media-item][data-key$="/piano-roll"]')
              .first()
              .getAttribute('data-step'),
          POLL,
        )
        .not.toBe(lastStep);
      expect(await page.locator('[data-testid=media-step-label]').textContent()).not.toContain('final model');
      expect(await overflow()).toBeLessThanOrEqual(0);
      await page.keyboard.press('End');
      await shot('run-melody');
    });

    it('melody compare: validation loss is the default summary, parallel coordinates, groups with bands, the same clip across runs', async () => {
      await page.goto(`${server.url}/compare?runs=${runs.melody.join(',')}`);
      await page.locator('[data-testid=summary-table]').waitFor();
      expect(await page.locator('[data-testid=summary-metric]').inputValue()).toBe('val_loss');
      expect(await page.locator('[data-testid=single-values] thead th').count()).toBe(4); // key + 3 runs
      expect(await page.locator('[data-testid=parallel-coords] g[data-run-id]').count()).toBe(3);
      const loss = page.locator('[data-testid=chart][data-metric=loss]');
      await loss.locator('canvas').waitFor();
      // 3 runs × (train_loss, epoch_train_loss, val_loss), one colour per run; past six lines the page keys them.
      expect((await loss.getAttribute('data-series'))!.split('|')).toHaveLength(9);
      expect(await loss.locator('.u-legend').count()).toBe(0);
      await page.locator('[data-testid=compare-media] [data-run-id]').first().waitFor();
      expect(await page.locator('[data-testid=compare-media] [data-run-id]').count()).toBe(3);
      expect((await imageWidths('[data-testid=compare-media] [data-key$="/piano-roll"] img')).length).toBe(3);
      await shot('compare-melody');
      await page.selectOption('[data-testid=group-by]', 'tag');
      await expect
        .poll(() => loss.getAttribute('data-series'), POLL)
        .toContain('lr-sweep (2) · val_loss mean');
      expect(await loss.getAttribute('data-series')).toContain('big-batch (1) · val_loss mean');
      expect(await overflow()).toBeLessThanOrEqual(0);
      await shot('compare-melody-grouped');
    });

    const KINDS = [
      { kind: 'groove', keys: ['/timing'], task: 'mae_ms' },
      { kind: 'emotion', keys: ['confusion'], task: 'accuracy' },
      {
        kind: 'emotion-node',
        keys: ['confusion/base', 'confusion/sub', 'confusion/node'],
        task: 'coarse_accuracy',
      },
    ] as const;
    for (const { kind, keys, task } of KINDS)
      it(`${kind}: run page with its media and task metrics, compare page with both runs`, async () => {
        const [first, second] = runs[kind];
        await page.goto(`${server.url}/runs/${first}`);
        await page.locator('[data-testid=chart][data-metric=loss] canvas').waitFor();
        expect(
          await page
            .locator('section[data-group=task] [data-testid=chart]')
            .first()
            .getAttribute('data-metric'),
        ).toBe(task);
        for (const key of keys) {
          const sel = key.startsWith('/') ? `[data-key$="${key}"]` : `[data-key="${key}"]`;
          await page.locator(`[data-testid=media-panel] ${sel} img`).first().waitFor();
          for (const w of await imageWidths(`[data-testid=media-panel] ${sel} img`))
            expect(w).toBeGreaterThan(20);
        }
        expect(await overflow()).toBeLessThanOrEqual(0);
        await shot(`run-${kind}`);
        await page.goto(`${server.url}/compare?runs=${first},${second}`);
        await page.locator('[data-testid=chart][data-metric=loss] canvas').waitFor();
        expect(await page.locator('[data-testid=summary-metric]').inputValue()).toBe('val_loss');
        await page.locator('[data-testid=compare-media] [data-run-id] img').first().waitFor();
        await shot(`compare-${kind}`);
      });

    it('media of a run with a NaN step still render, and the chart marks the NaN', async () => {
      const tracker = openTracker({ home, handleSignals: false });
      try {
        const run = await tracker.startRun({ id: 'nan-media', experiment: 'melodytransformer', config: {} });
        const tone = Float32Array.from(
          { length: 8000 },
          (_, i) => 0.3 * Math.sin((2 * Math.PI * 330 * i) / 16000),
        );
        tone[100] = Number.NaN; // a NaN sample is written as silence, not a broken file
        const raster = new Uint8Array(40 * 20 * 4).fill(200);
        for (let step = 0; step < 6; step++) {
          const loss = step === 3 ? Number.NaN : 1 / (step + 1);
          run.logMetrics({ train_loss: loss, val_loss: loss * 1.1 }, { step, epoch: step });
          await run.logMedia({
            kind: 'image',
            key: 'clip/c1/piano-roll',
            step,
            epoch: step,
            width: 40,
            height: 20,
            rgba: raster,
          });
          await run.logMedia({
            kind: 'audio',
            key: 'clip/c1/predicted-audio',
            step,
            epoch: step,
            samples: tone,
            sampleRate: 16000,
          });
        }
        await run.fail(new Error('NaN loss at step 3'));
      } finally {
        tracker.close();
      }
      await page.goto(`${server.url}/runs/nan-media`);
      const loss = page.locator('[data-testid=chart][data-metric=loss]');
      await loss.locator('canvas').waitFor();
      expect(await loss.getAttribute('data-nonfinite')).toContain('NaN@3');
      const slider = page.locator('[data-testid=media-step]');
      await slider.focus();
      await page.keyboard.press('Home');
      for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
      const item = page.locator('[data-testid=media-item][data-key="clip/c1/piano-roll"]');
      await expect.poll(() => item.getAttribute('data-step'), POLL).toBe('3');
      expect(await imageWidths('[data-testid=media-item][data-key="clip/c1/piano-roll"] img')).toEqual([40]);
      const duration = await page
        .locator('[data-testid=media-item][data-key="clip/c1/predicted-audio"] audio')
        .evaluate(
          (el) =>
            new Promise<number>((r) => {
              const a = el as HTMLAudioElement;
              if (a.readyState >= 1) r(a.duration);
              a.onloadedmetadata = () => r(a.duration);
              a.load();
            }),
        );
      expect(duration).toBeCloseTo(0.5, 2);
    });
  },
);
