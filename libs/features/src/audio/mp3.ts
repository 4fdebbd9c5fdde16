import { MPEGDecoder } from 'mpg123-decoder';
import { AudioError } from './audio-error';
import type { DecodedAudio } from './wav';

/**
 * Decodes MPEG layer I/II/III (mpg123 compiled to wasm) and mixes to mono.
 * @throws AudioError naming `name` when nothing decodes.
 */
export async function decodeMp3(bytes: Uint8Array, name: string): Promise<DecodedAudio> {
  const decoder = new MPEGDecoder();
  try {
    await decoder.ready;
    const out = decoder.decode(bytes);
    const channels = out.channelData.length;
    if (out.samplesDecoded === 0 || channels === 0) {
      const why = out.errors[0]?.message ?? 'no audio frames found';
      throw new AudioError(name, `not a decodable MP3 (${why})`);
    }
    const n = out.samplesDecoded;
    const samples = new Float32Array(n);
    for (const ch of out.channelData) for (let i = 0; i < n; i++) samples[i]! += ch[i]! / channels;
    return { samples, sampleRate: out.sampleRate, channels };
  } finally {
    decoder.free();
  }
}
