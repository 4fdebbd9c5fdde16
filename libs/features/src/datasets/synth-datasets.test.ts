import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FEATURE_SPEC, logFloor } from '../dsp/feature-spec';
import { expectationsFor } from '../validation/expectations';
import { formatValidationReport, validateDataset } from '../validation/validate-dataset';
import type { Dataset } from './dataset-types';
import { EMOTION_LABELS } from './emotion-cues';
import { resolveEmotionHierarchy } from './emotion-hierarchy';
import { GROOVE_STEPS } from './groove-plan';
import { EMOTION_NODE_TARGET_LAYOUT as L } from './emotion-node-layout';
import { buildSynthDataset, renderMelodyAudio } from './synth-datasets';
import { logMel } from '../dsp/log-mel';
import { midiToPianoRoll } from '../targets/piano-roll';

const small = { size: 28, clipFrames: 40, seed: 11 } as const;
const bytesOf = (d: Dataset): Buffer =>
  Buffer.concat(
    [...d.train, ...d.validation].flatMap((e) => [Buffer.from(e.x.buffer), Buffer.from(e.y.buffer)]),
  );

describe('synthetic datasets', () => {
  it("renderMelodyAudio gives the audio and notes a melody clip's log-mel and piano roll are made from", async () => {
    const d = await buildSynthDataset('melody', small);
    const ids = d.validation.map((e) => e.id);
    const clips = await renderMelodyAudio(small, ids);
    expect(clips.map((c) => c.id)).toEqual(ids);
    clips.forEach((c, i) => {
      const ex = d.validation[i]!;
      expect(Buffer.from(logMel(c.audio).data.buffer).equals(Buffer.from(ex.x.buffer))).toBe(true);
      expect(midiToPianoRoll(c.notes, { frames: small.clipFrames }).roll).toEqual(ex.y);
    });
    await expect(renderMelodyAudio(small, ['groove-000001'])).rejects.toThrow(/groove-000001/);
  });

  it('melody: same seed → same bytes and hash; another seed → different; shapes, split and card', async () => {
    const a = await buildSynthDataset('melody', small);
    const b = await buildSynthDataset('melody', small);
    const c = await buildSynthDataset('melody', { ...small, seed: 12 });
    expect(a.hash).toBe(b.hash);
    expect(bytesOf(a).equals(bytesOf(b))).toBe(true);
    expect(c.hash).not.toBe(a.hash);
    expect(a.id).toMatch(/^synth-melody-v1-s11-n28-t40-[0-9a-f]{10}$/);
    expect(a.train.length + a.validation.length).toBe(28);
    expect(a.validation.length).toBeGreaterThanOrEqual(4);
    expect(a.inputShape).toEqual([40, 64]);
    expect(a.outputShape).toEqual([40, 128]);
    expect(a.card).toContain('Salamander');
    expect(a.card).toContain(a.hash);
    const report = validateDataset(a, expectationsFor('melody', { clipFrames: 40 }));
    expect(report.ok, formatValidationReport(report)).toBe(true);
  });

  it('melody: the audio is where the piano roll says (louder frames when keys sound)', async () => {
    const d = await buildSynthDataset('melody', { size: 6, clipFrames: 120, seed: 3 });
    for (const ex of d.train) {
      let onSum = 0;
      let onN = 0;
      let offSum = 0;
      let offN = 0;
      for (let t = 0; t < 120; t++) {
        const active = ex.y.subarray(t * 128, t * 128 + 128).some((v) => v === 1);
        const energy = Math.max(...Array.from(ex.x.subarray(t * 64, t * 64 + 64)));
        if (active) {
          onSum += energy;
          onN++;
        } else {
          offSum += energy;
          offN++;
        }
      }
      expect(onN).toBeGreaterThan(30);
      if (offN > 3) expect(onSum / onN).toBeGreaterThan(offSum / offN);
      expect(Math.max(...Array.from(ex.x))).toBeGreaterThan(logFloor(FEATURE_SPEC) + 10);
    }
  });

  it('groove: 32 steps × 2 inputs, target = template in ms that matches the drawn swing/push/backbeat', async () => {
    const d = await buildSynthDataset('groove', { size: 50, seed: 4 });
    expect(d.inputShape).toEqual([GROOVE_STEPS, 2]);
    expect(d.outputShape).toEqual([GROOVE_STEPS]);
    for (const ex of d.train) {
      const m = ex.meta as { bpm: number; swing: number; pushMs: number; backbeatMs: number };
      const sixteenth = 60000 / m.bpm / 4;
      expect(ex.y[0]!).toBeCloseTo(m.pushMs, 1);
      expect(ex.y[1]!).toBeCloseTo(m.pushMs + (2 * m.swing - 1) * sixteenth, 0);
      expect(ex.y[4]!).toBeCloseTo(m.pushMs + m.backbeatMs, 1);
      // Observed offsets (input, 100 ms units) sit within 3σ ≤ 15 ms of the target where there is a hit.
      for (let k = 0; k < GROOVE_STEPS; k++)
        if (ex.x[2 * k]! > 0) expect(Math.abs(ex.x[2 * k + 1]! * 100 - ex.y[k]!)).toBeLessThan(15.1);
    }
    expect(validateDataset(d).ok).toBe(true);
    expect((await buildSynthDataset('groove', { size: 50, seed: 4 })).hash).toBe(d.hash);
  });

  it('emotion: 7 balanced labels with one-hot targets, cues visible in the audio (angry louder than sad)', async () => {
    const d = await buildSynthDataset('emotion', { size: 35, clipFrames: 60, seed: 2 });
    expect(d.labels).toEqual(EMOTION_LABELS);
    const all = [...d.train, ...d.validation];
    const counts = EMOTION_LABELS.map((_, c) => all.filter((e) => e.label === c).length);
    expect(counts).toEqual([5, 5, 5, 5, 5, 5, 5]);
    const meanLevel = (label: number): number => {
      const xs = all
        .filter((e) => e.label === label)
        .map((e) => Array.from(e.x).reduce((a, b) => a + b, 0) / e.x.length);
      return xs.reduce((a, b) => a + b, 0) / xs.length;
    };
    expect(meanLevel(EMOTION_LABELS.indexOf('angry'))).toBeGreaterThan(
      meanLevel(EMOTION_LABELS.indexOf('sad')),
    );
    const report = validateDataset(d, expectationsFor('emotion', { clipFrames: 60 }));
    expect(report.ok, formatValidationReport(report)).toBe(true);
  });

  it('emotion-node: 216-node hierarchy (bundled, no thesaurus folder needed), consistent node/base/sub slices and intensity', async () => {
    const h = resolveEmotionHierarchy();
    expect(h.source).toBe('bundled');
    expect(h.nodes).toHaveLength(216);
    expect(h.bases).toEqual(['HAPPY', 'SAD', 'ANGRY', 'FEAR', 'SURPRISE', 'DISGUST']);
    expect(h.subs).toHaveLength(36);
    const d = await buildSynthDataset('emotion-node', { size: 36, clipFrames: 40, seed: 5 });
    expect(d.outputShape).toEqual([259]);
    expect(d.labels).toHaveLength(216);
    expect(d.card).toContain('bundled with the repository');
    for (const ex of [...d.train, ...d.validation]) {
      const node = ex.label!;
      expect(ex.y[L.node[0] + node]).toBe(1);
      expect(ex.y[L.base[0] + Math.floor(node / 36)]).toBe(1);
      expect(ex.y[L.sub[0] + Math.floor(node / 6)]).toBe(1);
      expect(ex.y.subarray(0, 258).reduce((a, b) => a + b, 0)).toBe(3);
      expect(ex.y[258]!).toBeGreaterThanOrEqual(0);
      expect(ex.y[258]!).toBeLessThanOrEqual(1);
    }
    const report = validateDataset(d, expectationsFor('emotion-node', { clipFrames: 40 }));
    expect(report.ok, formatValidationReport(report)).toBe(true);
  });

  const missing = mkdtempSync(join(tmpdir(), 'kelly-no-thesaurus-'));
  afterAll(() => rmSync(missing, { recursive: true, force: true }));
  it('emotion-node: fails with a clear error naming the folder when the thesaurus is missing', async () => {
    await expect(
      buildSynthDataset('emotion-node', { size: 6, clipFrames: 20, thesaurusDir: missing }),
    ).rejects.toThrow(new RegExp(`emotion thesaurus not found at ${missing}`));
  });

  it('rejects out-of-range knobs with the option name', async () => {
    await expect(buildSynthDataset('melody', { clipFrames: 400 })).rejects.toThrow(
      /clipFrames must be an integer in 8…313/,
    );
    await expect(buildSynthDataset('melody', { size: 1 })).rejects.toThrow(/size must be an integer ≥ 2/);
  });

  it('workers: 2 threads give exactly the same dataset as 1', async () => {
    const opts = { size: 12, clipFrames: 30, seed: 9, augment: true } as const;
    const one = await buildSynthDataset('melody', opts);
    const two = await buildSynthDataset('melody', { ...opts, workers: 2 });
    expect(two.hash).toBe(one.hash);
    expect(one.id).toContain('-aug-');
  });
});
