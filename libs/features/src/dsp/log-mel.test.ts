import { describe, expect, it } from 'vitest';
import { FEATURE_SPEC, frameCount, logFloor } from './feature-spec';
import { logMel, melPower } from './log-mel';
import { hzToMel, melFilterbank, melToHz } from './mel-filterbank';
import { StreamingLogMel } from './streaming-log-mel';

const sr = FEATURE_SPEC.sampleRate;
const sine = (hz: number, n: number, amp = 0.5): Float32Array =>
  Float32Array.from({ length: n }, (_, i) => amp * Math.sin((2 * Math.PI * hz * i) / sr));

/** Index of the largest value of frame t. */
function peakBand(m: { bands: number; data: ArrayLike<number> }, t: number): number {
  let best = 0;
  for (let b = 1; b < m.bands; b++) if (m.data[t * m.bands + b]! > m.data[t * m.bands + best]!) best = b;
  return best;
}

describe('logMel on known signals', () => {
  it('puts a 440 Hz sine in the mel band whose triangle peaks nearest 440 Hz, in every full frame', () => {
    const m = logMel(sine(440, sr));
    const bank = melFilterbank(FEATURE_SPEC);
    // Band b peaks at edge b+1; the expected band is the one with the largest weight at the 440 Hz bin (k = 28.16).
    const k = Math.round((440 * FEATURE_SPEC.nFft) / sr);
    let expected = 0;
    for (let b = 0; b < 64; b++)
      if (bank.weights[b * 513 + k]! > bank.weights[expected * 513 + k]!) expected = b;
    expect(bank.edgesHz[expected]!).toBeLessThan(440);
    expect(bank.edgesHz[expected + 2]!).toBeGreaterThan(440);
    for (let t = 2; t < m.frames - 2; t++) expect(peakBand(m, t)).toBe(expected);
    // Energy far from 440 Hz (bands above 2 kHz) is tiny compared with the peak: > 60 dB (ln units: 13.8) below.
    const t = 30;
    const peak = m.data[t * 64 + expected]!;
    const high = Math.max(...Array.from(m.data.subarray(t * 64 + 40, t * 64 + 64)));
    expect(peak - high).toBeGreaterThan(13.8);
  });

  it('moves the peak band up with frequency (1 kHz and 4 kHz land higher than 440 Hz)', () => {
    const bands = [440, 1000, 4000].map((hz) => peakBand(logMel(sine(hz, 8000)), 10));
    expect(bands[0]!).toBeLessThan(bands[1]!);
    expect(bands[1]!).toBeLessThan(bands[2]!);
    expect(melToHz(hzToMel(4000))).toBeCloseTo(4000, 9);
  });

  it('gives exactly the log floor ln(1e-6) for silence, and frames = 1 + floor(n / 256)', () => {
    const m = logMel(new Float32Array(8000));
    expect(m.frames).toBe(32);
    expect(m.frames).toBe(frameCount(8000));
    expect(logFloor()).toBeCloseTo(Math.log(1e-6), 12);
    for (const v of m.data) expect(v).toBe(Math.fround(Math.log(1e-6)));
  });

  it('scales mel power by exactly 4 when the amplitude doubles (power 2, no normalisation)', () => {
    const a = melPower(sine(700, 4000, 0.2));
    const b = melPower(sine(700, 4000, 0.4));
    const t = 7;
    for (let m = 0; m < 64; m++) {
      const ref = a.data[t * 64 + m]!;
      if (ref > 1e-6) expect(b.data[t * 64 + m]! / ref).toBeCloseTo(4, 9);
    }
  });

  it('zero-pads the edges (librosa 0.11 pad_mode constant): a click at sample 0 appears in frame 0 only up to frame 2', () => {
    const x = new Float32Array(4096);
    x[0] = 0.8;
    const s = melPower(x);
    const frameEnergy = (t: number): number =>
      s.data.subarray(t * 64, t * 64 + 64).reduce((a, b) => a + b, 0);
    expect(frameEnergy(0)).toBeGreaterThan(0);
    expect(frameEnergy(1)).toBeGreaterThan(0); // window [−256, 768) still holds sample 0
    expect(frameEnergy(2)).toBe(0); // window [0, 1024) starts at sample 0 where the Hann window is exactly 0
    expect(frameEnergy(3)).toBe(0);
  });
});

describe('StreamingLogMel', () => {
  const signal = Float32Array.from(
    { length: 12345 },
    (_, i) => 0.3 * Math.sin(i * 0.05) + 0.2 * Math.sin(i * 0.31 + Math.sin(i * 0.001)),
  );

  it.each([1, 64, 256, 333, 1024, 5000])(
    'equals batch logMel bit for bit when fed blocks of %i samples',
    (block) => {
      const batch = logMel(signal);
      const s = new StreamingLogMel();
      const parts: Float32Array[] = [];
      for (let i = 0; i < signal.length; i += block) parts.push(s.push(signal.subarray(i, i + block)).data);
      parts.push(s.end().data);
      const joined = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
      let o = 0;
      for (const p of parts) {
        joined.set(p, o);
        o += p.length;
      }
      expect(joined.length).toBe(batch.data.length);
      expect(Buffer.from(joined.buffer).equals(Buffer.from(batch.data.buffer))).toBe(true);
    },
  );

  it('emits frame t only once its window is complete (latency nFft/2 samples), and resets', () => {
    const s = new StreamingLogMel();
    expect(s.push(new Float32Array(511)).frames).toBe(0);
    expect(s.push(new Float32Array(1)).frames).toBe(1); // frame 0 = [−512, 512)
    expect(s.push(new Float32Array(256)).frames).toBe(1);
    expect(() => {
      s.end();
      s.push(new Float32Array(1));
    }).toThrow(/after end/);
    s.reset();
    expect(s.push(new Float32Array(512)).frames).toBe(1);
  });
});
