import { describe, expect, it } from 'vitest';
import { EarlyStopping } from './early-stopping';
import { argmax, binaryMetrics, classificationMetrics, meanAbsoluteError } from './metrics';
import { cosineWithWarmup } from './schedule';

describe('cosineWithWarmup', () => {
  it('ramps linearly for the warm-up epochs, peaks at baseLr, then decays along a cosine to minLr', () => {
    const lr = cosineWithWarmup({
      baseLr: 1e-3,
      warmupEpochs: 5,
      totalEpochs: 50,
      stepsPerEpoch: 10,
      minLr: 0,
    });
    expect(lr(0)).toBeCloseTo(1e-3 / 50, 12);
    expect(lr(24)).toBeCloseTo((1e-3 * 25) / 50, 12);
    expect(lr(49)).toBeCloseTo(1e-3, 12);
    expect(lr(50)).toBeCloseTo(1e-3, 12);
    expect(lr(50 + 225)).toBeCloseTo(5e-4, 9); // halfway through the decay
    expect(lr(499)).toBeLessThan(1e-7);
    for (let s = 50; s < 499; s++) expect(lr(s + 1)).toBeLessThanOrEqual(lr(s));
  });
});

describe('EarlyStopping', () => {
  it('counts only improvements larger than minDelta and stops after patience epochs', () => {
    const es = new EarlyStopping({ patience: 3, minDelta: 0.001, mode: 'min' });
    expect(es.update(1, 1.0)).toEqual({ improved: true, stop: false });
    expect(es.update(2, 0.9995)).toEqual({ improved: false, stop: false }); // 5e-4 < min_delta
    expect(es.update(3, 0.95)).toEqual({ improved: true, stop: false });
    expect(es.update(4, 0.96).stop).toBe(false);
    expect(es.update(5, Number.NaN).stop).toBe(false);
    expect(es.update(6, 0.9499)).toEqual({ improved: false, stop: true });
    expect(es.state).toEqual({ best: 0.95, bestEpoch: 3, wait: 3 });
    const resumed = new EarlyStopping(
      { patience: 3, minDelta: 0.001, mode: 'min' },
      { best: 0.95, bestEpoch: 3, wait: 2 },
    );
    expect(resumed.update(6, 0.96).stop).toBe(true);
  });
});

describe('metrics', () => {
  it('frame F1: all-zeros scores 0; a hand-counted case matches', () => {
    const target = [1, 0, 1, 1, 0, 0];
    expect(binaryMetrics([0, 0, 0, 0, 0, 0], target).f1).toBe(0);
    const m = binaryMetrics([0.9, 0.6, 0.2, 0.7, 0.1, 0.4], target); // tp 2, fp 1, fn 1
    expect(m).toMatchObject({ tp: 2, fp: 1, fn: 1 });
    expect(m.precision).toBeCloseTo(2 / 3, 12);
    expect(m.recall).toBeCloseTo(2 / 3, 12);
    expect(m.f1).toBeCloseTo(2 / 3, 12);
  });

  it('accuracy and macro-F1 (unweighted over classes), MAE with a unit scale, argmax', () => {
    const c = classificationMetrics([0, 0, 1, 2], [0, 1, 1, 1], 3);
    expect(c.accuracy).toBe(0.5);
    // class 0: tp1 fp1 → F1 2/3; class 1: tp1 fn2 → F1 0.5; class 2: fp1 → 0
    expect(c.perClassF1[0]).toBeCloseTo(2 / 3, 12);
    expect(c.perClassF1[1]).toBeCloseTo(0.5, 12);
    expect(c.macroF1).toBeCloseTo((2 / 3 + 0.5 + 0) / 3, 12);
    expect(meanAbsoluteError([1, 2], [2, 4], 10)).toBe(15);
    expect(argmax([0.1, 0.5, 0.2, 0.9, 0.3], 1, 3)).toBe(2);
  });
});
