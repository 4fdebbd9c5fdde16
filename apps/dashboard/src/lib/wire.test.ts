import { describe, expect, it } from 'vitest';
import { wireTransformer } from './wire';

/** What goes over HTTP: serialize → JSON text → parse → deserialize. */
const roundTrip = (v: unknown) =>
  wireTransformer.deserialize(JSON.parse(JSON.stringify(wireTransformer.serialize(v))));

describe('wire transformer', () => {
  it('carries NaN, +Infinity and -Infinity through JSON (plain JSON would turn them into null)', () => {
    const out = roundTrip({
      points: [{ value: NaN }, { value: Infinity }, { value: -Infinity }, { value: 0.5 }],
    }) as {
      points: { value: number }[];
    };
    expect(Number.isNaN(out.points[0]!.value)).toBe(true);
    expect(out.points.slice(1).map((p) => p.value)).toEqual([Infinity, -Infinity, 0.5]);
    expect(JSON.stringify({ v: NaN })).toBe('{"v":null}');
  });

  it('keeps dates, nulls, strings and nested arrays as they were', () => {
    const d = new Date('2026-01-04T06:42:28Z');
    expect(roundTrip({ at: d, n: null, s: 'NaN', a: [[1, 'x']] })).toEqual({
      at: d,
      n: null,
      s: 'NaN',
      a: [[1, 'x']],
    });
  });
});
