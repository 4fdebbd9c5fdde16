import { describe, expect, it } from 'vitest';
import { assembleDataset } from '../datasets/assemble';
import type { Dataset, Example } from '../datasets/dataset-types';
import { FEATURE_SPEC } from '../dsp/feature-spec';
import { expectationsFor } from './expectations';
import { formatValidationReport, validateDataset, type CheckName } from './validate-dataset';

// Crafted datasets, small enough to reason about: 4-frame log-mel inputs.
const T = 4;
let n = 0;
function melodyExample(id: string, opts: { note?: number; level?: number } = {}): Example {
  const x = new Float32Array(T * 64).fill(Math.log(1e-6));
  for (let i = 0; i < x.length; i += 7) x[i] = (opts.level ?? 2) + (n++ % 13) * 0.01; // distinct, loud
  const y = new Float32Array(T * 128);
  if (opts.note !== undefined) for (let t = 0; t < T; t++) y[t * 128 + opts.note] = 1;
  return { id, x, xShape: [T, 64], y, yShape: [T, 128] };
}
function melodySet(train: Example[], validation: Example[]): Dataset {
  return assembleDataset({
    kind: 'melody',
    idPrefix: 'crafted',
    featureSpec: FEATURE_SPEC,
    inputShape: [T, 64],
    outputShape: [T, 128],
    train,
    validation,
    card: 'crafted',
  });
}
const good = (): Example[] =>
  Array.from({ length: 6 }, (_, i) => melodyExample(`clip-${i}`, { note: 60 + i }));
const expectM = expectationsFor('melody', { clipFrames: T });

function failing(d: Dataset, e = expectM): Map<CheckName, string[]> {
  const r = validateDataset(d, e);
  return new Map(r.checks.filter((c) => !c.ok).map((c) => [c.name, [...c.offending]]));
}

describe('validateDataset', () => {
  it('passes a clean dataset and reports every check', () => {
    const g = good();
    const r = validateDataset(melodySet(g.slice(0, 4), g.slice(4)), expectM);
    expect(r.ok, formatValidationReport(r)).toBe(true);
    expect(r.checks.map((c) => c.name)).toEqual([
      'manifest-schema',
      'feature-spec',
      'input-shape',
      'output-shape',
      'finite-values',
      'silent-clips',
      'zero-targets',
      'label-range',
      'class-balance',
      'split-overlap',
    ]);
  });

  it('manifest-schema: duplicate ids, empty validation split, data not matching its shape', () => {
    const g = good();
    const broken = { ...g[3]!, id: 'clip-0' };
    const short = { ...g[2]!, x: g[2]!.x.subarray(0, 10) };
    const f = failing(melodySet([g[0]!, g[1]!, short, broken], []));
    expect(f.get('manifest-schema')).toEqual(
      expect.arrayContaining([
        'validation: validation split is empty',
        'clip-0: duplicate id',
        'clip-2: data length does not match its shape',
      ]),
    );
  });

  it('feature-spec: features computed with another log are refused', () => {
    const g = good();
    const d = {
      ...melodySet(g.slice(0, 4), g.slice(4)),
      featureSpec: { ...FEATURE_SPEC, log: 'power_to_db' as const },
    };
    expect(failing(d).get('feature-spec')).toEqual(['featureSpec']);
  });

  it('input-shape and output-shape: names the clips with the wrong shapes', () => {
    const g = good();
    const wrongIn: Example = { ...g[1]!, x: new Float32Array(T * 32).fill(1), xShape: [T, 32] };
    const wrongOut: Example = { ...g[2]!, y: new Float32Array(T * 88).fill(1), yShape: [T, 88] };
    const f = failing(melodySet([g[0]!, wrongIn, wrongOut, g[3]!], g.slice(4)));
    expect(f.get('input-shape')).toEqual(['clip-1']);
    expect(f.get('output-shape')).toEqual(['clip-2']);
  });

  it('finite-values: NaN in features or Inf in targets', () => {
    const g = good();
    g[1]!.x[5] = Number.NaN;
    g[4]!.y[3] = Number.POSITIVE_INFINITY;
    expect(failing(melodySet(g.slice(0, 4), g.slice(4))).get('finite-values')).toEqual(['clip-1', 'clip-4']);
  });

  it('silent-clips: a clip at the log floor', () => {
    const g = good();
    g[2] = { ...g[2]!, x: new Float32Array(T * 64).fill(Math.log(1e-6)) };
    expect(failing(melodySet(g.slice(0, 4), g.slice(4))).get('silent-clips')).toEqual(['clip-2']);
  });

  it('zero-targets: the zero-loss trap (a clip whose piano roll is empty)', () => {
    const g = good();
    g[3] = melodyExample('clip-3');
    expect(failing(melodySet(g.slice(0, 4), g.slice(4))).get('zero-targets')).toEqual(['clip-3']);
    // Allowed when the expectations say so.
    const lenient = failing(melodySet(g.slice(0, 4), g.slice(4)), {
      ...expectM,
      maxZeroTargetFraction: 0.25,
    });
    expect(lenient.has('zero-targets')).toBe(false);
  });

  it('label-range: piano-roll values other than 0/1; one-hot that is not one-hot or disagrees with the label', () => {
    const g = good();
    g[0]!.y[60] = 0.5;
    expect(failing(melodySet(g.slice(0, 4), g.slice(4))).get('label-range')).toEqual(['clip-0']);

    const emo = (id: string, label: number, y: number[]): Example => ({
      id,
      x: melodyExample(id).x,
      xShape: [T, 64],
      y: Float32Array.from(y),
      yShape: [7],
      label,
    });
    const hot = (c: number): number[] => Array.from({ length: 7 }, (_, i) => (i === c ? 1 : 0));
    const train = Array.from({ length: 14 }, (_, i) => emo(`e-${i}`, i % 7, hot(i % 7)));
    train[3] = emo('e-3', 3, [0, 0, 0, 1, 1, 0, 0]);
    train[5] = emo('e-5', 2, hot(5));
    const d = assembleDataset({
      kind: 'emotion',
      idPrefix: 'x',
      featureSpec: FEATURE_SPEC,
      inputShape: [T, 64],
      outputShape: [7],
      train,
      validation: [emo('v', 0, hot(0))],
      card: 'x',
    });
    expect(failing(d, expectationsFor('emotion', { clipFrames: T })).get('label-range')).toEqual([
      'e-3',
      'e-5',
    ]);
  });

  it('label-range: groove offsets outside ±200 ms', () => {
    const ex = (id: string, v: number): Example => ({
      id,
      x: Float32Array.from({ length: 64 }, (_, i) => (i % 2 ? 0.01 * (i + v) : 0.8)),
      xShape: [32, 2],
      y: new Float32Array(32).fill(v),
      yShape: [32],
    });
    const d = assembleDataset({
      kind: 'groove',
      idPrefix: 'g',
      featureSpec: FEATURE_SPEC,
      inputShape: [32, 2],
      outputShape: [32],
      train: [ex('g0', 10), ex('g1', 900)],
      validation: [ex('g2', -5)],
      card: 'g',
    });
    expect(failing(d, expectationsFor('groove')).get('label-range')).toEqual(['g1']);
  });

  it('class-balance: a class missing from train is named with the counts', () => {
    const emo = (id: string, c: number): Example => {
      const y = new Float32Array(7);
      y[c] = 1;
      return { id, x: melodyExample(id).x, xShape: [T, 64], y, yShape: [7], label: c };
    };
    const train = Array.from({ length: 14 }, (_, i) => emo(`e-${i}`, i % 6)); // never class 6 (neutral)
    const d = assembleDataset({
      kind: 'emotion',
      idPrefix: 'x',
      featureSpec: FEATURE_SPEC,
      inputShape: [T, 64],
      outputShape: [7],
      train,
      validation: [emo('v', 6)],
      card: 'x',
    });
    const r = validateDataset(d, expectationsFor('emotion', { clipFrames: T }));
    const c = r.checks.find((k) => k.name === 'class-balance')!;
    expect(c.ok).toBe(false);
    expect(c.offending).toEqual(['class 6 (0 clips)']);
    expect(c.message).toContain('counts [3, 3, 2, 2, 2, 2, 0]');
  });

  it('split-overlap: the same clip (id or feature bytes) in train and validation', () => {
    const g = good();
    const copy: Example = { ...g[0]!, id: 'renamed-copy' };
    const f = failing(melodySet(g.slice(0, 4), [g[4]!, copy, g[1]!]));
    expect(f.get('split-overlap')).toEqual([
      'renamed-copy (same audio features as train clip-0)',
      'clip-1 (same id in train)',
    ]);
    const withTest = { ...melodySet(g.slice(0, 4), [g[4]!]), test: [{ ...g[2]!, id: 'held-out' }] };
    expect(failing(withTest).get('split-overlap')).toEqual([
      'held-out (same audio features as train clip-2) [test split]',
    ]);
  });

  it('formats a report that names each failing check and clip first', () => {
    const g = good();
    g[2] = { ...g[2]!, x: new Float32Array(T * 64).fill(Math.log(1e-6)) };
    const text = formatValidationReport(validateDataset(melodySet(g.slice(0, 4), g.slice(4)), expectM));
    expect(text.split('\n')[0]).toMatch(/FAILED$/);
    expect(text.split('\n')[1]).toMatch(/FAIL silent-clips: 1 silent clip\(s\).*clip-2/);
  });
});
