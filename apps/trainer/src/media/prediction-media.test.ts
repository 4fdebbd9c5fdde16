import { FEATURE_SPEC, type Dataset } from '@kelly/features';
import { describe, expect, it } from 'vitest';
import { predictionMedia } from './prediction-media';

const FRAMES = 20;

/** One validation clip whose predictions hold one real note and two things a p ≥ 0.5 reading would play. */
function melodyCase(): { dataset: Dataset; pred: Float32Array } {
  const y = new Float32Array(FRAMES * 128);
  const pred = new Float32Array(FRAMES * 128);
  for (let t = 2; t < 12; t++) {
    y[t * 128 + 60] = 1;
    pred[t * 128 + 60] = t === 6 ? 0.3 : 0.9; // one dip: still one note under hysteresis
  }
  pred[15 * 128 + 67] = 0.95; // a one-frame blip, dropped by minFrames 2
  const example = {
    id: 'melody-000000',
    x: new Float32Array(FRAMES * 64),
    xShape: [FRAMES, 64],
    y,
    yShape: [FRAMES, 128],
  };
  const dataset: Dataset = {
    id: 'test',
    kind: 'melody',
    hash: '',
    featureSpec: FEATURE_SPEC,
    inputShape: [FRAMES, 64],
    outputShape: [FRAMES, 128],
    train: [],
    validation: [example],
    card: '',
  };
  return { dataset, pred };
}

describe('melody prediction media', () => {
  it("renders the notes of the run's note decoding, not every run of frames at p ≥ 0.5", async () => {
    const { dataset, pred } = melodyCase();
    const decoding = { onsetThreshold: 0.8, frameThreshold: 0.2, minFrames: 2, reonsetDelta: 0 };
    const items = await predictionMedia({
      kind: 'melody',
      dataset,
      pred,
      clips: [0],
      when: 'epoch 1',
      noteDecoding: decoding,
    });
    const audio = items.find((i) => i.key.endsWith('/predicted-audio'));
    expect(audio?.caption).toMatch(
      /the 1 predicted notes \(the run's note decoding: onset 0\.8, frame 0\.2, min 2 frames\)/,
    );
    // p ≥ 0.5 runs would be three notes (60 split by the dip, and the blip); a stricter decoding plays none
    const strict = await predictionMedia({
      kind: 'melody',
      dataset,
      pred,
      clips: [0],
      when: 'epoch 1',
      noteDecoding: { ...decoding, onsetThreshold: 0.99 },
    });
    expect(strict.find((i) => i.key.endsWith('/predicted-audio'))?.caption).toMatch(/the 0 predicted notes/);
    // the note sounds where it was decoded (frames 2…11 → 24 ms … 184 ms), and nothing after it
    const samples = audio?.kind === 'audio' ? audio.samples : new Float32Array();
    const rms = (a: number, b: number) => {
      let s = 0;
      for (let i = Math.round(a * 16000); i < Math.round(b * 16000); i++) s += (samples[i] ?? 0) ** 2;
      return Math.sqrt(s / Math.max(1, Math.round((b - a) * 16000)));
    };
    expect(rms(0.03, 0.17)).toBeGreaterThan(0.01);
    expect(rms(0, 0.02)).toBe(0);
  });
});
