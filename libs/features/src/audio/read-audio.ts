import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { FEATURE_SPEC } from '../dsp/feature-spec';
import { AudioError } from './audio-error';
import { decodeMp3 } from './mp3';
import { resample } from './resample';
import { decodeWav, type DecodedAudio } from './wav';

/** Mono float32 audio at `sampleRate` (16 kHz unless asked otherwise). */
export interface Audio {
  readonly path: string;
  readonly samples: Float32Array;
  readonly sampleRate: number;
  /** Rate and channel count of the file before mixing and resampling. */
  readonly sourceSampleRate: number;
  readonly channels: number;
}

/** Decodes bytes by content (RIFF/WAVE or MPEG), falling back to the file extension. */
export async function decodeAudio(bytes: Uint8Array, name: string): Promise<DecodedAudio> {
  const tag = String.fromCharCode(...bytes.subarray(0, 4));
  if (tag === 'RIFF' || tag === 'RIFX') return decodeWav(bytes, name);
  const ext = extname(name).toLowerCase();
  const isMpeg = tag.startsWith('ID3') || (bytes[0] === 0xff && ((bytes[1] ?? 0) & 0xe0) === 0xe0);
  if (isMpeg || ext === '.mp3') return decodeMp3(bytes, name);
  if (ext === '.wav') return decodeWav(bytes, name);
  throw new AudioError(
    name,
    `unsupported audio format (expected WAV or MP3, file starts with ${JSON.stringify(tag)})`,
  );
}

/**
 * Reads a WAV (PCM 16/24/32, float32) or MP3 file, mixes to mono and resamples to `sampleRate` (default 16 kHz).
 * @throws AudioError naming the file when it is missing, unsupported or corrupt.
 */
export async function readAudio(path: string, sampleRate: number = FEATURE_SPEC.sampleRate): Promise<Audio> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (e) {
    throw new AudioError(
      path,
      `cannot read file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      { cause: e },
    );
  }
  if (bytes.length === 0) throw new AudioError(path, 'file is empty');
  const decoded = await decodeAudio(bytes, path);
  const samples = await resample(decoded.samples, decoded.sampleRate, sampleRate);
  return { path, samples, sampleRate, sourceSampleRate: decoded.sampleRate, channels: decoded.channels };
}
