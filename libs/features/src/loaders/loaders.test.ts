import toneMidi from '@tonejs/midi';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wavefile from 'wavefile';
import { afterAll, describe, expect, it } from 'vitest';
import { logMel } from '../dsp/log-mel';
import { validateDataset } from '../validation/validate-dataset';
import { expectationsFor } from '../validation/expectations';
import { parseCsv } from './csv';
import { MAESTRO_CSV, loadMaestro } from './maestro';
import { loadManifestDataset } from './manifest';

const root = mkdtempSync(join(tmpdir(), 'kelly-loaders-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Writes `<name>.wav` (44.1 kHz stereo 16-bit: a tone at `midi` from 0.2 s to 1.2 s) and `<name>.midi`. */
function writePair(dir: string, name: string, midi: number, seconds = 2.5): void {
  const sr = 44100;
  const f = 440 * 2 ** ((midi - 69) / 12);
  const ch = Array.from({ length: Math.round(seconds * sr) }, (_, i) =>
    i >= 0.2 * sr && i < 1.2 * sr ? Math.round(8000 * Math.sin((2 * Math.PI * f * i) / sr)) : 0,
  );
  const wav = new wavefile.WaveFile();
  wav.fromScratch(2, sr, '16', [ch, ch]);
  writeFileSync(join(dir, `${name}.wav`), wav.toBuffer());
  const m = new toneMidi.Midi();
  m.addTrack().addNote({ midi, time: 0.2, duration: 1, velocity: 0.7 });
  writeFileSync(join(dir, `${name}.midi`), m.toArray());
}

describe('parseCsv', () => {
  it('handles quotes, escaped quotes, commas and newlines inside fields, CRLF', () => {
    expect(parseCsv('a,b\r\n"x, y","he said ""hi"""\n"multi\nline",2\n')).toEqual([
      ['a', 'b'],
      ['x, y', 'he said "hi"'],
      ['multi\nline', '2'],
    ]);
  });
});

describe('loadMaestro', () => {
  const dir = join(root, 'maestro');
  mkdirSync(join(dir, '2018'), { recursive: true });
  writePair(join(dir, '2018'), 'p1', 60);
  writePair(join(dir, '2018'), 'p2', 64);
  writePair(join(dir, '2018'), 'p3', 67);
  writePair(join(dir, '2018'), 'p4', 72, 4.2); // 4 clips: the last two hold neither sound nor notes
  const header = 'canonical_composer,canonical_title,split,year,midi_filename,audio_filename,duration';
  const row = (n: string, split: string): string =>
    `"Bach, J. S.","Prelude ""${n}""",${split},2018,2018/${n}.midi,2018/${n}.wav,2.5`;
  writeFileSync(
    join(dir, MAESTRO_CSV),
    [header, row('p1', 'train'), row('p2', 'train'), row('p3', 'validation'), row('p4', 'test')].join('\n') +
      '\n',
  );

  it('keeps the MAESTRO split, cuts ≤ 5 s clips and aligns the piano roll with the audio', async () => {
    const d = await loadMaestro(dir, { clipFrames: 63, cacheDir: join(root, 'cache') }); // 63 frames = 0.992 s
    expect(d.kind).toBe('melody');
    expect(d.train.map((e) => e.id)).toEqual(['p1#0', 'p1#1', 'p2#0', 'p2#1']);
    expect(d.validation.map((e) => e.id)).toEqual(['p3#0', 'p3#1']);
    expect(d.test!.map((e) => e.id)).toEqual(['p4#0', 'p4#1']); // p4#2, p4#3 are silent with no notes: skipped
    expect(d.card).toContain(
      '2 clip(s) with neither sound (peak < −80 dBFS) nor notes were skipped: p4#2, p4#3',
    );
    const first = d.train[0]!;
    expect(first.xShape).toEqual([63, 64]);
    // Note 60 sounds from 0.2 s: frame 12 (0.192 s) off, frame 13 (0.208 s) on; clip 1 starts at 0.992 s.
    expect(first.y[12 * 128 + 60]).toBe(0);
    expect(first.y[13 * 128 + 60]).toBe(1);
    expect(d.train[1]!.y[0 * 128 + 60]).toBe(1);
    // The audio is there too: frame 30 is much louder than frame 5.
    const level = (t: number): number => Math.max(...Array.from(first.x.subarray(t * 64, t * 64 + 64)));
    expect(level(30) - level(5)).toBeGreaterThan(10);
    const report = validateDataset(d, expectationsFor('melody', { clipFrames: 63 }));
    expect(report.checks.filter((c) => !c.ok).map((c) => c.name)).toEqual([]);
    // Loading again is served from the feature cache and gives the same dataset.
    expect((await loadMaestro(dir, { clipFrames: 63, cacheDir: join(root, 'cache') })).hash).toBe(d.hash);
  });

  it('names the CSV row and column that fail the schema, and a missing file', async () => {
    const bad = join(root, 'maestro-bad');
    mkdirSync(bad, { recursive: true });
    writeFileSync(join(bad, MAESTRO_CSV), `${header}\n${row('p1', 'training')}\n`);
    await expect(loadMaestro(bad)).rejects.toThrow(/maestro-v3\.0\.0\.csv row 2, column split/);
    writeFileSync(join(bad, MAESTRO_CSV), `${header}\n${row('p1', 'train')}\n`);
    await expect(loadMaestro(bad)).rejects.toThrow(/2018\/p1\.wav: cannot read file \(ENOENT\)/);
    await expect(loadMaestro(join(root, 'nowhere'))).rejects.toThrow(/maestro-v3\.0\.0\.csv not found/);
  });
});

describe('loadManifestDataset', () => {
  const dir = join(root, 'manifest');
  mkdirSync(join(dir, 'audio'), { recursive: true });
  writePair(join(dir, 'audio'), 'a', 62, 1.5);
  writePair(join(dir, 'audio'), 'b', 69, 1.5);

  it('loads WAV + MIDI pairs relative to the manifest, with its splits', async () => {
    const path = join(dir, 'data.json');
    writeFileSync(
      path,
      JSON.stringify({
        version: 1,
        name: 'tiny',
        clipFrames: 40,
        clips: [
          { audio: 'audio/a.wav', midi: 'audio/a.midi', split: 'train' },
          { audio: 'audio/b.wav', midi: 'audio/b.midi', split: 'validation', id: 'bee' },
        ],
      }),
    );
    const d = await loadManifestDataset(path, { workers: 1 });
    expect(d.id).toMatch(/^manifest-tiny-t40-/);
    expect(d.train.map((e) => e.id)).toEqual(['a#0', 'a#1']); // 1.5 s = 24000 samples holds two 9984-sample clips;
    expect(d.validation.map((e) => e.id)).toEqual(['bee#0', 'bee#1']);
    expect(d.validation[0]!.y[20 * 128 + 69]).toBe(1);
    expect(d.test).toBeUndefined();
  });

  it('names the manifest and the field that fails the schema', async () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, JSON.stringify({ version: 2, clips: [{ audio: 'a.wav', split: 'dev' }] }));
    const err = loadManifestDataset(path);
    await expect(err).rejects.toThrow(/manifest .*bad\.json: version: .*clips\.0\.midi: .*clips\.0\.split/);
    writeFileSync(path, '{ not json');
    await expect(loadManifestDataset(path)).rejects.toThrow(/bad\.json: cannot read JSON/);
  });

  it('extracts clips on 2 worker threads with the same features as in-process', async () => {
    const path = join(dir, 'data.json');
    const one = await loadManifestDataset(path);
    const two = await loadManifestDataset(path, { workers: 2 });
    expect(two.hash).toBe(one.hash);
    expect(Buffer.from(one.train[0]!.x.buffer).length).toBe(40 * 64 * 4);
    expect(logMel(new Float32Array(0)).frames).toBe(1);
  });
});
