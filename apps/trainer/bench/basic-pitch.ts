import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { TimedNote } from '@kelly/models';

/**
 * Spotify's Basic Pitch (npm `@spotify/basic-pitch` 1.0.1, Apache-2.0: its bundled tfjs graph model and its own
 * note decoding) run on this process's tfjs 4 backend. The package's `BasicPitch` class drives its nested tfjs 3,
 * whose wasm backend crashes in the `Fill` kernel (see docs/stack.md), so the ~40 lines of framing and overlap
 * removal of its `inference.ts` are repeated here with the same constants; the model and the decoding
 * (`outputToNotesPoly`, `noteFramesToTime`) are the package's.
 */

/** Basic Pitch's constants (basic_pitch/constants.py, as in the npm package's inference.ts). */
export const BASIC_PITCH = {
  sampleRate: 22050,
  fftHop: 256,
  /** Model input window, samples: 2 s at 22,050 Hz less one hop. */
  windowSamples: 22050 * 2 - 256,
  overlapFrames: 30,
  /** Output frames per second: floor(22050 / 256) = 86 (its time ↔ frame convention). */
  fps: Math.floor(22050 / 256),
  /** Its documented decoding defaults (Python `predict`: onset 0.5, frame 0.3, minimum note 127.7 ms = 11 frames). */
  onsetThreshold: 0.5,
  frameThreshold: 0.3,
  minNoteFrames: 11,
  /** Silence appended so the last notes are scored (it returns floor(n · 86 / 22050) frames). */
  tailSeconds: 0.25,
} as const;

interface BasicPitchToMidi {
  outputToNotesPoly(
    frames: number[][],
    onsets: number[][],
    onsetThresh: number,
    frameThresh: number,
    minNoteLen: number,
    inferOnsets: boolean,
    maxFreq: number | null,
    minFreq: number | null,
    melodiaTrick: boolean,
  ): unknown[];
  noteFramesToTime(
    notes: unknown[],
  ): { startTimeSeconds: number; durationSeconds: number; pitchMidi: number }[];
}

const require = createRequire(import.meta.url);
const packageDir = () => dirname(require.resolve('@spotify/basic-pitch/package.json'));

/** The package's note decoding (its `cjs/toMidi.js`, which needs no tfjs). */
function toMidi(): BasicPitchToMidi {
  return require(join(packageDir(), 'cjs', 'toMidi.js')) as BasicPitchToMidi;
}

/** Loads the bundled graph model from disk into the current tfjs backend. */
export async function loadBasicPitch(): Promise<tf.GraphModel> {
  const dir = join(packageDir(), 'model');
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as {
    modelTopology: object;
    format?: string;
    generatedBy?: string;
    convertedBy?: string;
    signature?: object;
    weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  };
  const weightSpecs = json.weightsManifest.flatMap((g) => g.weights);
  const buffers = json.weightsManifest.flatMap((g) => g.paths.map((p) => readFileSync(join(dir, p))));
  const all = Buffer.concat(buffers);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
  return tf.loadGraphModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs,
      weightData,
      format: json.format,
      generatedBy: json.generatedBy,
      convertedBy: json.convertedBy ?? undefined,
      signature: json.signature,
    }),
  );
}

/**
 * Frame and onset posteriorgrams [frames][88] (MIDI 21…108) of 22,050 Hz mono audio, as the package's
 * `evaluateModel`: zero-pad half the overlap in front, cut 2 s windows overlapping by 30 frames, run the model,
 * drop 15 frames at each window edge, trim to floor(n · 86 / 22050) frames.
 */
export function basicPitchPosteriors(
  model: tf.GraphModel,
  audio22k: Float32Array,
): { frames: number[][]; onsets: number[][] } {
  const { fftHop, windowSamples, overlapFrames, sampleRate, fps } = BASIC_PITCH;
  const overlap = overlapFrames * fftHop;
  const hop = windowSamples - overlap;
  const padded = new Float32Array(overlap / 2 + audio22k.length);
  padded.set(audio22k, overlap / 2);
  const nOut = Math.floor(audio22k.length * (fps / sampleRate));
  const frames: number[][] = [];
  const onsets: number[][] = [];
  for (let start = 0; start < padded.length && frames.length < nOut; start += hop) {
    const win = new Float32Array(windowSamples);
    win.set(padded.subarray(start, start + windowSamples));
    const [f, o] = tf.tidy(() => {
      const out = model.execute(tf.tensor3d(win, [1, windowSamples, 1]), [
        'Identity_1',
        'Identity_2',
      ]) as tf.Tensor3D[];
      const half = overlapFrames / 2;
      return out.map((t) => t.slice([0, half, 0], [-1, t.shape[1] - 2 * half, -1]).squeeze([0]));
    }) as [tf.Tensor2D, tf.Tensor2D];
    const fa = f.arraySync();
    const oa = o.arraySync();
    tf.dispose([f, o]);
    const take = Math.min(fa.length, nOut - frames.length);
    frames.push(...fa.slice(0, take));
    onsets.push(...oa.slice(0, take));
  }
  return { frames, onsets };
}

/** Notes with Basic Pitch's documented decoding defaults (melodia trick and onset inference on, as its `predict`). */
export function basicPitchNotes(post: { frames: number[][]; onsets: number[][] }): TimedNote[] {
  const m = toMidi();
  const { onsetThreshold, frameThreshold, minNoteFrames } = BASIC_PITCH;
  const events = m.outputToNotesPoly(
    post.frames.map((r) => [...r]),
    post.onsets.map((r) => [...r]),
    onsetThreshold,
    frameThreshold,
    minNoteFrames,
    true,
    null,
    null,
    true,
  );
  return m.noteFramesToTime(events).map((n) => ({
    pitch: n.pitchMidi,
    onset: n.startTimeSeconds,
    offset: n.startTimeSeconds + n.durationSeconds,
  }));
}
