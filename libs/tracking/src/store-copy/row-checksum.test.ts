import { describe, expect, it } from 'vitest';
import { rowText, TableChecksum } from './row-checksum';

const sum = (rows: unknown[][]) => {
  const c = new TableChecksum();
  for (const r of rows) c.add(r);
  return c;
};

describe('TableChecksum', () => {
  it('is independent of row order and counts rows', () => {
    const a = sum([
      [1, 'x', null],
      [2, 'y', 0.5],
      [3, 'z', -Infinity],
    ]);
    const b = sum([
      [3, 'z', -Infinity],
      [1, 'x', null],
      [2, 'y', 0.5],
    ]);
    expect(a.hex).toBe(b.hex);
    expect(a.rows).toBe(3);
    expect(a.hex).toMatch(/^[0-9a-f]{16}$/);
    expect(sum([]).hex).toBe('0'.repeat(16));
  });

  it('changes when any value, type or row changes', () => {
    const base = sum([
      [1, 'x', null],
      [2, 'y', 0.5],
    ]).hex;
    expect(
      sum([
        [1, 'x', null],
        [2, 'y', 0.25],
      ]).hex,
    ).not.toBe(base);
    expect(
      sum([
        [1, 'x', 'null'],
        [2, 'y', 0.5],
      ]).hex,
    ).not.toBe(base);
    expect(sum([[1, 'x', null]]).hex).not.toBe(base);
    expect(
      sum([
        [1, 'x', null],
        [2, 'y', 0.5],
        [2, 'y', 0.5],
      ]).hex,
    ).not.toBe(base);
    expect(
      sum([
        ['1', 'x', null],
        [2, 'y', 0.5],
      ]).hex,
    ).not.toBe(base);
  });

  it('reads numbers alike whichever store returned them (2 and 2.0, -0 and 0, bigint and number)', () => {
    expect(rowText([2])).toBe(rowText([2.0]));
    expect(rowText([-0])).toBe(rowText([0]));
    expect(rowText([12n])).toBe(rowText([12]));
    expect(rowText([Infinity, NaN])).toBe('9:dInfinity;4:dNaN;');
    // length prefixes keep separators inside strings from faking other rows
    expect(rowText(['a;1:b'])).not.toBe(rowText(['a', 'b']));
  });
});
