/**
 * Mono 16-bit PCM WAV bytes (RIFF, 44-byte header) of `samples` in −1…1 (clipped), at `sampleRate` Hz.
 * @see http://soundfile.sapp.org/doc/WaveFormat/
 */
export function encodeWav(samples: Float32Array, sampleRate: number): Uint8Array {
  if (!(Number.isInteger(sampleRate) && sampleRate > 0))
    throw new Error(`encodeWav: sampleRate must be a positive integer, got ${sampleRate}`);
  const dataBytes = samples.length * 2;
  const out = new Uint8Array(44 + dataBytes);
  const view = new DataView(out.buffer);
  const ascii = (offset: number, text: string) => {
    for (let i = 0; i < text.length; i++) out[offset + i] = text.charCodeAt(i);
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  view.setUint32(16, 16, true); // fmt chunk size
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * 2, true); // byte rate
  view.setUint16(32, 2, true); // block align
  view.setUint16(34, 16, true); // bits per sample
  ascii(36, 'data');
  view.setUint32(40, dataBytes, true);
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i]!;
    // NaN becomes silence rather than a click.
    const c = Number.isFinite(v) ? Math.max(-1, Math.min(1, v)) : 0;
    view.setInt16(44 + i * 2, Math.round(c < 0 ? c * 0x8000 : c * 0x7fff), true);
  }
  return out;
}

/** Sample rate and duration of WAV bytes, or an error naming what is wrong with them. */
export function readWavHeader(data: Uint8Array): { sampleRate: number; durationS: number } {
  const text = (o: number, n: number) => String.fromCharCode(...data.subarray(o, o + n));
  if (data.length < 44 || text(0, 4) !== 'RIFF' || text(8, 4) !== 'WAVE')
    throw new Error('audio/wav media: bytes are not a RIFF/WAVE file');
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let offset = 12;
  let sampleRate = 0;
  let byteRate = 0;
  while (offset + 8 <= data.length) {
    const id = text(offset, 4);
    const size = view.getUint32(offset + 4, true);
    if (id === 'fmt ') {
      sampleRate = view.getUint32(offset + 12, true);
      byteRate = view.getUint32(offset + 16, true);
    }
    if (id === 'data') {
      if (!(sampleRate > 0 && byteRate > 0)) throw new Error('audio/wav media: no fmt chunk before data');
      return { sampleRate, durationS: Math.min(size, data.length - offset - 8) / byteRate };
    }
    offset += 8 + size + (size % 2);
  }
  throw new Error('audio/wav media: no data chunk');
}
