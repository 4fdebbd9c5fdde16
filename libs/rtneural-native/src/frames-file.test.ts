import { describe, expect, it } from 'vitest';
import { decodeOutput, encodeInput } from './frames-file';
import { quantile, summarizeTiming } from './timing';

describe('runner files', () => {
  it('encodes clips as float32 frames with their counts', () => {
    const buf = encodeInput(2, [
      [
        [1, 2],
        [3, 4.5],
      ],
      [[-1, 0.1]],
    ]);
    expect(buf.toString('latin1', 0, 4)).toBe('KRNI');
    expect([buf.readUInt32LE(8), buf.readUInt32LE(12), buf.readUInt32LE(16)]).toEqual([2, 2, 2]);
    expect(buf.readFloatLE(20 + 12)).toBe(4.5);
    expect(buf.readFloatLE(20 + 16 + 4 + 4)).toBe(Math.fround(0.1));
  });

  it('refuses a frame of the wrong size, naming it', () => {
    expect(() => encodeInput(2, [[[1, 2], [3]]])).toThrow('clip 0 frame 1 has 1 values, the model takes 2');
  });

  it('decodes outputs and timings, and refuses a truncated file', () => {
    const b = Buffer.alloc(16 + 4 + 2 * 4 + 4 + 2 * 8);
    b.write('KRNO', 0, 'latin1');
    b.writeUInt32LE(1, 4);
    b.writeUInt32LE(2, 8);
    b.writeUInt32LE(1, 12);
    b.writeUInt32LE(1, 16);
    b.writeFloatLE(0.25, 20);
    b.writeFloatLE(-2, 24);
    b.writeUInt32LE(1, 28);
    b.writeDoubleLE(1500, 32);
    b.writeDoubleLE(2500, 40);
    const o = decodeOutput(b);
    expect([...o.clips[0]![0]!]).toEqual([0.25, -2]);
    expect([o.cpuNs[0], o.wallNs[0]]).toEqual([1500, 2500]);
    expect(() => decodeOutput(b.subarray(0, 30))).toThrow('runner output is truncated (timing)');
  });
});

describe('timing figures', () => {
  it('nearest-rank quantiles', () => {
    const xs = Float64Array.from({ length: 1000 }, (_, i) => i + 1);
    expect(quantile(xs, 0.5)).toBe(500);
    expect(quantile(xs, 0.99)).toBe(990);
    expect(quantile(new Float64Array(0), 0.5)).toBeNaN();
  });

  it('ms from ns, on the CPU clock, one slow frame moves p99 but not the median', () => {
    const cpu = Float64Array.from({ length: 1000 }, (_, i) => (i < 980 ? 100_000 : 2_000_000));
    const t = summarizeTiming(cpu, cpu, 50);
    expect(t).toMatchObject({ clock: 'thread-cpu', medianMs: 0.1, p99Ms: 2, frames: 1000, warmup: 50 });
  });
});
