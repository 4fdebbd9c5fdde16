import { renderMelodyAudio } from '@kelly/features';
import { describe, expect, it } from 'vitest';
import { trainedClipsIn } from '../bench/melody-eval';

const ids = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, k) => `melody-${String(from + k).padStart(6, '0')}`);

describe('melody-quality: audio neither compared model trained on', () => {
  it('counts a clip index as seen whatever its length: clip i shares its opening melody at 2 s and at 5 s', async () => {
    const probe = ['melody-000003', 'melody-000004'];
    const [short, long] = await Promise.all([
      renderMelodyAudio({ seed: 1, size: 10, clipFrames: 128 }, probe),
      renderMelodyAudio({ seed: 1, size: 10, clipFrames: 313 }, probe),
    ]);
    // the melody line is planned first from the same random stream, so the short clip's melody notes are the long
    // clip's opening ones (only the chord track, drawn after it, may differ)
    for (let c = 0; c < probe.length; c++) {
      const key = (n: { midi: number; start: number; duration: number; velocity: number }) =>
        `${n.midi}@${n.start}+${n.duration}v${n.velocity}`;
      const shared = (a: typeof short, b: typeof long, j: number) => {
        const inLong = new Set(b[j]!.notes.map(key));
        return a[c]!.notes.filter((n) => inLong.has(key(n))).length;
      };
      expect(shared(short, long, c)).toBeGreaterThanOrEqual(2);
      expect(shared(short, long, 1 - c)).toBe(0); // another index shares nothing
    }
  });

  it("finds none of the default preset's validation clips in the full preset's training split, and vice versa", () => {
    const full = { seed: 1, size: 1000 };
    const dflt = { seed: 1, size: 1400 };
    const validationOf = (size: number) => ids(0, size).filter((_, i) => i % 5 === 4);
    expect(trainedClipsIn(full, { seed: 1, ids: validationOf(1400) })).toEqual([]);
    expect(trainedClipsIn(dflt, { seed: 1, ids: validationOf(1000) })).toEqual([]);
  });

  it('names the clips a run did train on, and none from another seed', () => {
    const run = { seed: 1, size: 1000 };
    expect(trainedClipsIn(run, { seed: 1, ids: ids(0, 5) })).toEqual(ids(0, 4));
    expect(trainedClipsIn(run, { seed: 1, ids: ids(998, 1003) })).toEqual(['melody-000998']);
    expect(trainedClipsIn(run, { seed: 2, ids: ids(0, 5) })).toEqual([]);
  });
});
