import libsamplerate from '@alexanderolsen/libsamplerate-js';

export type ResampleQuality = 'best' | 'medium' | 'fastest';

const CONVERTERS = {
  best: libsamplerate.ConverterType.SRC_SINC_BEST_QUALITY,
  medium: libsamplerate.ConverterType.SRC_SINC_MEDIUM_QUALITY,
  fastest: libsamplerate.ConverterType.SRC_SINC_FASTEST,
} as const;

/**
 * Band-limited resampling with libsamplerate (wasm), mono float32. `best` (SRC_SINC_BEST_QUALITY, the default,
 * within ~1e-4 of librosa's soxr_hq below 6 kHz) or `medium`/`fastest` sinc converters (several times faster).
 * Output length is `ceil(n · to / from)` (librosa's convention); libsamplerate's group delay is compensated
 * by flushing the converter, so sample i of the output is time i / to.
 */
export async function resample(
  samples: Float32Array,
  from: number,
  to: number,
  quality: ResampleQuality = 'best',
): Promise<Float32Array> {
  if (from === to) return samples;
  if (!(from > 0 && to > 0)) throw new Error(`resample: invalid rates ${from} → ${to}`);
  const src = await libsamplerate.create(1, from, to, { converterType: CONVERTERS[quality] });
  try {
    const out = src.simple(samples);
    const n = Math.ceil((samples.length * to) / from);
    if (out.length === n) return out;
    const fixed = new Float32Array(n);
    fixed.set(out.subarray(0, Math.min(n, out.length)));
    return fixed;
  } finally {
    src.destroy();
  }
}
