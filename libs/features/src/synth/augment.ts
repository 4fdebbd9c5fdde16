import type { Rng } from './rng';

/**
 * Optional augmentation, in place, 16 kHz: a small room (four parallel feedback combs, 20–45 ms, RT60 0.2–0.6 s,
 * wet 10–25 %) then white noise at 35–55 dB below the clip's RMS. Deterministic given `rng`.
 */
export function augment(x: Float32Array, rng: Rng, sampleRate = 16000): void {
  const rt60 = rng.range(0.2, 0.6);
  const wet = rng.range(0.1, 0.25);
  const delays = [0.0213, 0.0297, 0.0371, 0.0437].map((d) =>
    Math.round(d * rng.range(0.9, 1.1) * sampleRate),
  );
  const dry = Float32Array.from(x);
  const room = new Float32Array(x.length);
  for (const delay of delays) {
    const g = 10 ** ((-3 * delay) / (rt60 * sampleRate));
    const line = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) line[i] = dry[i]! + (i >= delay ? g * line[i - delay]! : 0);
    for (let i = 0; i < x.length; i++) room[i]! += line[i]! / delays.length;
  }
  let energy = 0;
  for (let i = 0; i < x.length; i++) {
    x[i] = (1 - wet) * dry[i]! + wet * room[i]!;
    energy += x[i]! * x[i]!;
  }
  const rms = Math.sqrt(energy / Math.max(1, x.length));
  const noise = rms * 10 ** (-rng.range(35, 55) / 20) * Math.sqrt(3);
  for (let i = 0; i < x.length; i++) x[i]! += noise * (2 * rng.next() - 1);
}

/** Scales `x` so its peak is at most `ceiling` (never amplifies). */
export function limitPeak(x: Float32Array, ceiling = 0.98): void {
  let peak = 0;
  for (const v of x) peak = Math.max(peak, Math.abs(v));
  if (peak <= ceiling) return;
  const g = ceiling / peak;
  for (let i = 0; i < x.length; i++) x[i]! *= g;
}
