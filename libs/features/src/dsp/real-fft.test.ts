import FFT from 'fft.js';
import { describe, expect, it } from 'vitest';
import { RealFft } from './real-fft';

/** Direct O(N²) DFT, the definition. */
function dft(x: Float64Array): { re: Float64Array; im: Float64Array } {
  const n = x.length;
  const re = new Float64Array(n / 2 + 1);
  const im = new Float64Array(n / 2 + 1);
  for (let k = 0; k <= n / 2; k++) {
    for (let t = 0; t < n; t++) {
      re[k]! += x[t]! * Math.cos((2 * Math.PI * k * t) / n);
      im[k]! -= x[t]! * Math.sin((2 * Math.PI * k * t) / n);
    }
  }
  return { re, im };
}

const signal = (n: number): Float64Array =>
  Float64Array.from(
    { length: n },
    (_, i) => Math.sin(i * 0.37) + 0.3 * Math.cos(i * 1.91) + ((i * 7919) % 13) / 13 - 0.5,
  );

describe('RealFft', () => {
  it.each([8, 16, 64, 512, 1024])(
    'transformPower (last radix-2 pass fused into the split) equals transform + power bit for bit, N = %i',
    (n) => {
      const x = signal(3 * n);
      const window = Float64Array.from({ length: n }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n));
      const f = new RealFft(n);
      f.setWindow(window);
      // In range (gather fused with the first passes) and straddling the signal's start (zero-padded path).
      for (const first of [n, -n / 2 + 3]) {
        f.loadWindowed(x, first);
        const fused = [...f.transformPower()];
        f.loadWindowed(x, first);
        f.transform();
        const split = [...f.power()];
        expect(fused).toEqual(split);
        const direct = dft(
          Float64Array.from({ length: n }, (_, i) => (first + i >= 0 ? x[first + i]! * window[i]! : 0)),
        );
        for (let k = 0; k <= n / 2; k++)
          expect(fused[k]!).toBeCloseTo(direct.re[k]! ** 2 + direct.im[k]! ** 2, 6);
      }
    },
  );

  it.each([8, 16, 32, 64, 128, 256])(
    'matches the direct DFT for N = %i (odd and even numbers of radix-2² passes)',
    (n) => {
      const x = signal(n);
      const ref = dft(x);
      const f = new RealFft(n);
      const re = new Float64Array(n / 2 + 1);
      const im = new Float64Array(n / 2 + 1);
      f.load(x);
      f.transform();
      f.spectrum(re, im);
      for (let k = 0; k <= n / 2; k++) {
        expect(re[k]!).toBeCloseTo(ref.re[k]!, 9);
        expect(im[k]!).toBeCloseTo(ref.im[k]!, 9);
      }
    },
  );

  it('agrees with fft.js realTransform for N = 1024 and N = 2048 (spectrum and power) to 1e-12 relative', () => {
    for (const n of [1024, 2048]) {
      const x = signal(n);
      const out = new Float64Array(2 * n);
      new FFT(n).realTransform(out, x);
      const f = new RealFft(n);
      const re = new Float64Array(n / 2 + 1);
      const im = new Float64Array(n / 2 + 1);
      f.load(x);
      f.transform();
      f.spectrum(re, im);
      f.load(x);
      f.transform();
      const pw = f.power();
      const scale = Math.max(...Array.from(re, Math.abs));
      for (let k = 0; k <= n / 2; k++) {
        expect(Math.abs(re[k]! - out[2 * k]!)).toBeLessThan(1e-12 * scale);
        expect(Math.abs(im[k]! - out[2 * k + 1]!)).toBeLessThan(1e-12 * scale);
        expect(Math.abs(pw[k]! - (out[2 * k]! ** 2 + out[2 * k + 1]! ** 2))).toBeLessThan(
          1e-12 * scale * scale,
        );
      }
    }
  });

  it('applies the window while loading and zero-pads outside the signal', () => {
    const n = 64;
    const x = signal(100);
    const w = Float64Array.from({ length: n }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n));
    const f = new RealFft(n);
    f.setWindow(w);
    for (const first of [-40, 10, 70]) {
      const frame = Float64Array.from({ length: n }, (_, i) =>
        first + i >= 0 && first + i < x.length ? x[first + i]! * w[i]! : 0,
      );
      f.loadWindowed(x, first);
      f.transform();
      const a = [...f.power()];
      f.load(frame);
      f.transform();
      const b = [...f.power()];
      expect(a).toEqual(b);
      // float32 input takes its own loader; same values as the float64 copy of it.
      const x32 = Float32Array.from(x);
      f.loadWindowed(x32, first);
      const c = [...f.transformPower()];
      f.loadWindowed(Float64Array.from(x32), first);
      expect(c).toEqual([...f.transformPower()]);
    }
    expect(() => new RealFft(1000)).toThrow(/power of two/);
    expect(() => f.setWindow(new Float64Array(n - 1))).toThrow(/window has 63 values, expected 64/);
  });

  it("copies the window: changing the caller's array after setWindow changes nothing", () => {
    const n = 32;
    const x = signal(n);
    const w = Float64Array.from({ length: n }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n));
    const f = new RealFft(n);
    f.setWindow(w);
    f.loadWindowed(x, 0);
    const before = [...f.transformPower()];
    w.fill(0);
    f.loadWindowed(x, 0);
    expect([...f.transformPower()]).toEqual(before);
    expect(before.some((v) => v > 0)).toBe(true);
  });
});
