// Parity with librosa 0.11 on every reference in ../shared/fixtures/mel, at the README's float64 tolerances:
//   S: |S − ref| ≤ 1e-6·|ref| + 1e-12·max(ref);  power_to_db ≤ 1e-5 dB;  ln_eps ≤ 1e-6;  filterbank ≤ 1e-12.
import { fixture } from '@kelly/test-support';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAudio } from '../audio/read-audio';
import { resample } from '../audio/resample';
import { FEATURE_SPEC } from './feature-spec';
import { melPower } from './log-mel';
import { melFilterbank } from './mel-filterbank';
import { stftPower } from './stft';

const manifest = fixture(['mel', 'manifest.json']);
const ROOT = dirname(manifest.path);

type Matrix = number[][];
interface Variant {
  mel_power: Matrix;
  power_to_db: Matrix;
  ln_eps: Matrix;
}
const json = <T>(p: string): T => JSON.parse(readFileSync(join(ROOT, p), 'utf8')) as T;
const f32 = (p: string): Float32Array => {
  const b = readFileSync(join(ROOT, p));
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};
const SIGNALS = [
  'sine_440hz',
  'chirp_log_50_7500hz',
  'piano_chord_a3_cs4_e4',
  'white_noise_seed7',
  'silence',
  'impulse_train_4096',
  'melody_82bpm_5s',
];

/** Distance in float32 units in the last place (non-negative values; ±0 are equal). */
function ulpDistance(a: number, b: number): number {
  const bits = new Int32Array(new Float32Array([Math.abs(a), Math.abs(b)]).buffer);
  return Math.abs(bits[0]! - bits[1]!);
}

/** Worst use of each tolerance budget (≤ 1 passes). */
function budgets(s: Float64Array, ref: Variant): { S: number; dB: number; ln: number } {
  const max = Math.max(0, ...ref.mel_power.flat());
  let S = 0;
  let dB = 0;
  let ln = 0;
  ref.mel_power.forEach((row, t) =>
    row.forEach((r, m) => {
      const v = s[t * 64 + m]!;
      const tol = 1e-6 * Math.abs(r) + 1e-12 * max;
      S = Math.max(S, tol > 0 ? Math.abs(v - r) / tol : v === r ? 0 : Infinity);
      dB = Math.max(dB, Math.abs(10 * Math.log10(Math.max(v, 1e-10)) - ref.power_to_db[t]![m]!) / 1e-5);
      ln = Math.max(ln, Math.abs(Math.log(v + 1e-6) - ref.ln_eps[t]![m]!) / 1e-6);
    }),
  );
  return { S, dB, ln };
}

describe.skipIf(!manifest.present)(`librosa 0.11 parity (${manifest.needs})`, () => {
  it.each([
    ['slaney', false],
    ['htk', true],
  ] as const)('%s filterbank matches librosa.filters.mel within 1e-12', (name, htk) => {
    const ref = json<{ weights: Matrix; weights_float32: Matrix; mel_band_edges_hz: number[] }>(
      `filters/mel_${name}_sr16000_nfft1024_nmels64.json`,
    );
    const bank = melFilterbank(FEATURE_SPEC, htk);
    let worst = 0;
    let ulpMisses = 0;
    ref.weights.forEach((row, m) =>
      row.forEach((w, k) => {
        const mine = bank.weights[m * 513 + k]!;
        worst = Math.max(worst, Math.abs(mine - w));
        if (ulpDistance(mine, ref.weights_float32[m]![k]!) > 1) ulpMisses++;
      }),
    );
    expect(worst).toBeLessThanOrEqual(1e-12);
    expect(ulpMisses).toBe(0);
    ref.mel_band_edges_hz.forEach((e, i) => expect(Math.abs(bank.edgesHz[i]! - e)).toBeLessThan(1e-9));
  });

  it('|STFT|² of the 440 Hz sine matches librosa.stft within 1e-6 relative + 1e-12·max', () => {
    const ref = json<{ from_float64: Matrix }>('expected/sine_440hz_stft_power.json').from_float64;
    const p = stftPower(f32('signals/sine_440hz.f32'), FEATURE_SPEC);
    expect([p.frames, p.bins]).toEqual([63, 513]);
    const max = Math.max(...ref.flat());
    let worst = 0;
    ref.forEach((row, t) =>
      row.forEach(
        (r, k) => (worst = Math.max(worst, Math.abs(p.data[t * 513 + k]! - r) / (1e-6 * r + 1e-12 * max))),
      ),
    );
    expect(worst).toBeLessThanOrEqual(1);
  });

  it.each(SIGNALS)(
    '%s (.f32 input): mel power, power_to_db and ln_eps within tolerance of from_float64',
    (name) => {
      const ref = json<{ n_frames: number; from_float64: Variant }>(`expected/${name}.json`);
      const s = melPower(f32(`signals/${name}.f32`));
      expect(s.frames).toBe(ref.n_frames);
      const b = budgets(s.data, ref.from_float64);
      expect(b.S).toBeLessThanOrEqual(1);
      expect(b.dB).toBeLessThanOrEqual(1);
      expect(b.ln).toBeLessThanOrEqual(1);
    },
  );

  it.each(SIGNALS)('%s (16-bit WAV through readAudio): within tolerance of from_wav16', async (name) => {
    const ref = json<{ from_wav16: Variant }>(`expected/${name}.json`);
    const audio = await readAudio(join(ROOT, `signals/${name}.wav`));
    const b = budgets(melPower(audio.samples).data, ref.from_wav16);
    expect(b.S).toBeLessThanOrEqual(1);
    expect(b.dB).toBeLessThanOrEqual(1);
    expect(b.ln).toBeLessThanOrEqual(1);
  });

  it('decodes the 24-bit PCM and float32 WAVs to the .f32 samples (½ LSB and bit-exact)', async () => {
    const want = f32('signals/piano_chord_a3_cs4_e4.f32');
    const pcm24 = (await readAudio(join(ROOT, 'signals/piano_chord_a3_cs4_e4_pcm24.wav'))).samples;
    const float = (await readAudio(join(ROOT, 'signals/piano_chord_a3_cs4_e4_float32.wav'))).samples;
    const pcm16 = (await readAudio(join(ROOT, 'signals/piano_chord_a3_cs4_e4.wav'))).samples;
    expect(pcm24.length).toBe(want.length);
    let e24 = 0;
    let e16 = 0;
    for (let i = 0; i < want.length; i++) {
      e24 = Math.max(e24, Math.abs(pcm24[i]! - want[i]!));
      e16 = Math.max(e16, Math.abs(pcm16[i]! - want[i]!));
    }
    expect(e24).toBeLessThanOrEqual(0.5 / 8388608 + 1e-12);
    expect(e16).toBeLessThanOrEqual(0.5 / 32768 + 1e-12);
    expect(Buffer.from(float.buffer).equals(Buffer.from(want.buffer))).toBe(true);
  });

  it.each([44100, 48000])(
    'resamples the %i Hz chirp to 16 kHz within 2e-3 of soxr_hq (samples 64…7643)',
    async (rate) => {
      const out = await resample(f32(`resample/chirp_log_50_7500hz_0.5s_${rate}.f32`), rate, 16000);
      const ref = f32(`resample/chirp_log_50_7500hz_0.5s_${rate}_to_16000_soxr_hq.f32`);
      expect(out.length).toBe(ref.length);
      let worst = 0;
      for (let i = 64; i < 7644; i++) worst = Math.max(worst, Math.abs(out[i]! - ref[i]!));
      expect(worst).toBeLessThanOrEqual(2e-3);
    },
  );
});
