import { describe, expect, it } from 'vitest';
import { alignSeries } from './chart-data';
import { formatDuration, formatValue } from './format';
import { ema } from './smoothing';

describe('formatValue', () => {
  it('spells non-finite values, never blank or 0', () => {
    expect([NaN, Infinity, -Infinity].map((v) => formatValue(v))).toEqual(['NaN', '+Inf', '−Inf']);
    expect(formatValue(null)).toBe('—');
    expect(formatValue(0)).toBe('0');
    expect(formatValue(0.000012346)).toBe('1.235e-5');
    expect(formatValue(1.946)).toBe('1.946');
  });
  it('formats durations', () => {
    expect(formatDuration(4.21)).toBe('4.2s');
    expect(formatDuration(185)).toBe('3m 05s');
    expect(formatDuration(7260)).toBe('2h 01m');
  });
});

describe('ema', () => {
  it('is debiased (a constant stays constant) and lets NaN pass without poisoning later points', () => {
    for (const v of ema([2, 2, 2], 0.9)) expect(v).toBeCloseTo(2, 12);
    const out = ema([1, NaN, 1], 0.5);
    expect(Number.isNaN(out[1])).toBe(true);
    expect(out[2]).toBeCloseTo(1, 12);
    expect(ema([1, 3], 0)).toEqual([1, 3]);
  });
});

describe('alignSeries', () => {
  it('aligns runs on the union of x, leaves non-finite values as gaps and lists them', () => {
    const a = alignSeries(
      [
        { label: 'a', color: '#000', x: [0, 1, 2], y: [1, NaN, 0.5], flaggedX: [1] },
        { label: 'b', color: '#111', x: [1, 3], y: [Infinity, 0.2] },
      ],
      false,
    );
    expect(a.data[0]).toEqual([0, 1, 2, 3]);
    expect(a.data[1]).toEqual([1, null, 0.5, null]);
    expect(a.data[2]).toEqual([null, null, null, 0.2]);
    expect(a.nonFinite.map((m) => `${m.label}@${m.x}`)).toEqual(['a@1', 'b@1']);
    expect(a.finitePoints).toBe(3);
    expect(a.flagged).toHaveLength(0); // the flagged point is NaN: drawn as a line, not a ring
  });
  it('drops values ≤ 0 on a log scale', () => {
    expect(alignSeries([{ label: 'a', color: '#000', x: [0, 1], y: [0, 2] }], true).data[1]).toEqual([
      null,
      2,
    ]);
  });
});
