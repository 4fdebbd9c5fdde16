import { describe, expect, it } from 'vitest';
import { augment } from './augment';
import { nearestSampleNote, pianoSampleFiles, preparePiano } from './piano-sampler';
import { Rng } from './rng';

/** Fundamental by autocorrelation between 0.6·f and 1.5·f of the expected pitch, over 0.1…0.4 s. */
function pitch(x: Float32Array, expectHz: number): number {
  const seg = x.subarray(1600, 6400);
  let best = -Infinity;
  let bestLag = 0;
  for (let lag = Math.floor(16000 / (1.5 * expectHz)); lag <= Math.ceil(16000 / (0.6 * expectHz)); lag++) {
    let acc = 0;
    for (let i = 0; i + lag < seg.length; i++) acc += seg[i]! * seg[i + lag]!;
    if (acc > best) {
      best = acc;
      bestLag = lag;
    }
  }
  return 16000 / bestLag;
}

describe('piano sampler (Salamander samples)', () => {
  it('maps every MIDI note to a recording at most 1.5 semitones away', () => {
    const files = pianoSampleFiles();
    expect(files.size).toBe(30);
    expect(files.get(69)).toBe('A4v10.mp3');
    expect(files.get(60)).toBe('C4v10.mp3');
    for (let m = 21; m <= 108; m++) {
      const s = nearestSampleNote(m);
      expect(files.has(s)).toBe(true);
      expect(Math.abs(s - m)).toBeLessThanOrEqual(1.5);
    }
  });

  it('pitch-shifts by resampling: MIDI 57, 58 and 59 render at their equal-tempered frequencies', async () => {
    const bank = await preparePiano([57, 58, 59]);
    for (const midi of [57, 58, 59]) {
      const out = new Float32Array(8000);
      bank.render([{ midi, start: 0, duration: 0.45, velocity: 0.8 }], out);
      const hz = 440 * 2 ** ((midi - 69) / 12);
      expect(Math.abs(pitch(out, hz) / hz - 1)).toBeLessThan(0.02);
    }
  });

  it('scales with velocity and ends notes with a release (silent 0.3 s after the note off)', async () => {
    const bank = await preparePiano([60]);
    const loud = new Float32Array(16000);
    const soft = new Float32Array(16000);
    bank.render([{ midi: 60, start: 0.1, duration: 0.2, velocity: 1 }], loud);
    bank.render([{ midi: 60, start: 0.1, duration: 0.2, velocity: 0.5 }], soft);
    const peak = (x: Float32Array, a: number, b: number): number =>
      Math.max(...Array.from(x.subarray(a, b), Math.abs));
    expect(peak(loud, 0, 1600)).toBe(0); // nothing before the onset
    expect(peak(loud, 1600, 4800) / peak(soft, 1600, 4800)).toBeCloseTo(4, 5); // velocity² gain
    expect(peak(loud, 1600, 4800)).toBeGreaterThan(0.1);
    expect(peak(loud, 4800 + 4800, 16000)).toBe(0); // release rendered for 0.3 s, then nothing
    // Damped: 0.1…0.2 s after the note off it is below a quarter of the same note still held (e^(−0.1/0.06) ≈ 0.19).
    const held = new Float32Array(16000);
    bank.render([{ midi: 60, start: 0.1, duration: 0.8, velocity: 1 }], held);
    expect(peak(loud, 4800 + 1600, 4800 + 3200)).toBeLessThan(0.25 * peak(held, 4800 + 1600, 4800 + 3200));
  });

  it('augmentation is deterministic and adds a room tail and a noise floor', () => {
    const clip = (): Float32Array => {
      const x = new Float32Array(8000);
      for (let i = 0; i < 800; i++) x[i] = 0.5 * Math.sin(i * 0.2);
      return x;
    };
    const a = clip();
    const b = clip();
    augment(a, new Rng(5));
    augment(b, new Rng(5));
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    const tail = a.subarray(1000, 2000).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    expect(tail).toBeGreaterThan(1e-3); // reverberation after the dry signal stopped
    expect(a.subarray(7000).some((v) => v !== 0)).toBe(true); // noise floor everywhere
  });
});
