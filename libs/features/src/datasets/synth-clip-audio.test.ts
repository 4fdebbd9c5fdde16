import { describe, expect, it } from 'vitest';
import { logMel } from '../dsp/log-mel';
import { buildSynthDataset, synthClipAudio } from './synth-datasets';

describe('synthClipAudio', () => {
  it('regenerates the audio a validation clip was made from: its log-mel is the example input, bit for bit', async () => {
    const opts = { size: 12, clipFrames: 40, seed: 5 };
    const d = await buildSynthDataset('emotion', opts);
    const clips = d.validation.slice(0, 2);
    const audio = await synthClipAudio(
      'emotion',
      opts,
      clips.map((e) => e.id),
    );
    expect(audio).toHaveLength(2);
    audio.forEach((a, i) => {
      expect(Math.max(...a.map(Math.abs))).toBeGreaterThan(0.05);
      expect(Buffer.from(logMel(a).data.buffer).equals(Buffer.from(clips[i]!.x.buffer))).toBe(true);
    });
  });

  it('names an id that is not a clip of that kind', async () => {
    await expect(synthClipAudio('melody', {}, ['emotion-000001'])).rejects.toThrow(
      /"emotion-000001" is not a melody clip id/,
    );
  });
});
