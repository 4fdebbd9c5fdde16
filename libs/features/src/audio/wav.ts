import wavefile from 'wavefile';
import { AudioError } from './audio-error';

/** Decoded audio at its native rate, mixed down to mono (mean of the channels), float32 in [-1, 1]. */
export interface DecodedAudio {
  readonly samples: Float32Array;
  readonly sampleRate: number;
  readonly channels: number;
}

/** Full-scale divisor per PCM bit depth (`int / 2^(bits−1)`, as librosa/soundfile decode). */
const PCM_SCALE: Record<string, number> = { '8': 128, '16': 32768, '24': 8388608, '32': 2147483648 };

interface WavFmt {
  audioFormat: number;
  numChannels: number;
  sampleRate: number;
  bitsPerSample: number;
}

/**
 * Decodes a RIFF/WAVE file: PCM 8/16/24/32-bit (8-bit is unsigned, offset 128), IEEE float 32/64,
 * plain or WAVE_FORMAT_EXTENSIBLE; any channel count → mono.
 * @throws AudioError naming `name` for anything else (compressed formats, truncated/corrupt data).
 */
export function decodeWav(bytes: Uint8Array, name: string): DecodedAudio {
  const wav = new wavefile.WaveFile();
  try {
    wav.fromBuffer(bytes);
  } catch (e) {
    throw new AudioError(name, `not a readable WAV file (${(e as Error).message})`, { cause: e });
  }
  const fmt = wav.fmt as WavFmt;
  const bitDepth = (wav as unknown as { bitDepth: string }).bitDepth;
  const isFloat = bitDepth === '32f' || bitDepth === '64';
  const scale = PCM_SCALE[bitDepth];
  if (!isFloat && scale === undefined) {
    throw new AudioError(
      name,
      `unsupported WAV sample format (format tag ${fmt.audioFormat}, ${fmt.bitsPerSample} bits)`,
    );
  }
  const channels = fmt.numChannels;
  if (!(channels >= 1) || !(fmt.sampleRate > 0))
    throw new AudioError(name, `WAV header has ${channels} channels at ${fmt.sampleRate} Hz`);
  const data = (wav as unknown as { data: { samples: Uint8Array } }).data.samples;
  const blockAlign = channels * (fmt.bitsPerSample / 8);
  if (!data || data.length < blockAlign) throw new AudioError(name, 'WAV data chunk is empty or missing');
  let raw: Float64Array;
  try {
    raw = wav.getSamples(true, Float64Array);
  } catch (e) {
    throw new AudioError(name, `corrupt WAV data (${(e as Error).message})`, { cause: e });
  }
  const n = Math.floor(raw.length / channels);
  const samples = new Float32Array(n);
  const offset = bitDepth === '8' ? 128 : 0;
  const div = isFloat ? 1 : scale! * channels;
  for (let i = 0; i < n; i++) {
    let acc = 0;
    for (let c = 0; c < channels; c++) acc += raw[i * channels + c]! - offset;
    samples[i] = isFloat ? acc / channels : acc / div;
  }
  return { samples, sampleRate: fmt.sampleRate, channels };
}
