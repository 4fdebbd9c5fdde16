import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { readAudio } from '../audio/read-audio';
import { FeatureCache } from '../cache/feature-cache';
import { FEATURE_SPEC, samplesForFrames } from '../dsp/feature-spec';
import { extractLogMelParallel } from '../parallel/extract-parallel';
import { readMidiNotes } from '../targets/midi-notes';
import { midiToPianoRoll } from '../targets/piano-roll';
import type { Example } from '../datasets/dataset-types';

/** One recording with its MIDI transcription. */
export interface AudioMidiPair {
  readonly audioPath: string;
  readonly midiPath: string;
  readonly split: 'train' | 'validation' | 'test';
  /** Clip id prefix; default the audio file's base name. */
  readonly name?: string;
}

export interface PairLoadOptions {
  /** Frames per clip, ≤ 313 (5 s). Default 313. */
  readonly clipFrames?: number;
  /** At most this many clips from each recording (default: all). */
  readonly maxClipsPerFile?: number;
  /** Folder of a FeatureCache (log-mel keyed by audio content + spec). */
  readonly cacheDir?: string;
  readonly workers?: number;
}

/** Peak below −80 dBFS. */
function isSilent(x: Float32Array): boolean {
  for (const v of x) if (Math.abs(v) >= 1e-4) return false;
  return true;
}

export interface LoadedPairs {
  readonly train: Example[];
  readonly validation: Example[];
  readonly test: Example[];
  /** Clips skipped because they hold neither sound (peak < −80 dBFS) nor notes (leading/trailing silence). */
  readonly dropped: string[];
}

/**
 * Cuts each recording into consecutive clips of `clipFrames` frames ((clipFrames − 1)·256 samples at 16 kHz; a
 * tail shorter than a clip is dropped, a recording shorter than one clip is zero-padded) and pairs each with
 * the piano roll of its MIDI over the same span. Clip id: `<name>#<k>`. Clips with neither sound nor notes are
 * dropped (listed in `dropped`); anything else, e.g. sound with an empty roll, is kept for validation to judge.
 * @throws AudioError / Error naming the audio or MIDI file that cannot be read.
 */
export async function loadPairs(
  pairs: readonly AudioMidiPair[],
  opts: PairLoadOptions = {},
): Promise<LoadedPairs> {
  const clipFrames = opts.clipFrames ?? 313;
  const clipSamples = samplesForFrames(clipFrames);
  const dropped: string[] = [];
  const clips: {
    id: string;
    split: AudioMidiPair['split'];
    audio: Float32Array;
    roll: Float32Array;
    source: string;
  }[] = [];
  for (const pair of pairs) {
    const audio = await readAudio(pair.audioPath);
    let midiBytes: Uint8Array;
    try {
      midiBytes = new Uint8Array(await readFile(pair.midiPath));
    } catch (e) {
      throw new Error(
        `${pair.midiPath}: cannot read MIDI file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
        { cause: e },
      );
    }
    const notes = readMidiNotes(midiBytes, pair.midiPath);
    const name = pair.name ?? basename(pair.audioPath).replace(/\.[^.]+$/, '');
    const count = Math.max(1, Math.floor(audio.samples.length / clipSamples));
    const limit = Math.min(count, opts.maxClipsPerFile ?? Infinity);
    for (let k = 0; k < limit; k++) {
      const start = k * clipSamples;
      const segment = new Float32Array(clipSamples);
      segment.set(audio.samples.subarray(start, start + clipSamples));
      const roll = midiToPianoRoll(notes, {
        frames: clipFrames,
        offset: start / FEATURE_SPEC.sampleRate,
      }).roll;
      if (isSilent(segment) && roll.every((v) => v === 0)) {
        dropped.push(`${name}#${k}`);
        continue;
      }
      clips.push({
        id: `${name}#${k}`,
        split: pair.split,
        audio: segment,
        roll,
        source: basename(pair.audioPath),
      });
    }
  }
  const cache = opts.cacheDir ? new FeatureCache(opts.cacheDir) : undefined;
  const features = await extractLogMelParallel(
    clips.map((c) => c.audio),
    { workers: opts.workers ?? 1, ...(cache ? { cache } : {}) },
  );
  const out: LoadedPairs = { train: [], validation: [], test: [], dropped };
  clips.forEach((c, i) => {
    const f = features[i]!;
    out[c.split].push({
      id: c.id,
      x: f.data,
      xShape: [f.frames, f.bands],
      y: c.roll,
      yShape: [clipFrames, 128],
      meta: { source: c.source },
    });
  });
  return out;
}
