import { testStoreLocation } from '@kelly/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import {
  getRun,
  importRun,
  openTracker,
  recheckAnomalies,
  type ImportRunInput,
  type Tracker,
} from '../index';

type Pts = { key: string; step: number; epoch?: number; value: number }[];
const curve = (key: string, n: number, f: (i: number) => number): Pts =>
  Array.from({ length: n }, (_, i) => ({ key, step: i, epoch: i, value: f(i) }));
/** A healthy classifier run: 30 epochs, 600 s, train and val loss falling well below ln(7). */
const healthy = (): ImportRunInput => ({
  id: 'healthy',
  experiment: 'emotionrecognizer',
  status: 'FINISHED',
  startedAt: 1_700_000_000_000,
  durationS: 600,
  config: { num_classes: 7, epochs: 30 },
  metrics: [
    ...curve('loss', 30, (i) => 1.9 * Math.exp(-i / 8) + 0.05),
    ...curve('val_loss', 30, (i) => 1.95 * Math.exp(-i / 9) + 0.1),
  ],
});

function rulesOf(t: Tracker, input: ImportRunInput) {
  importRun(t, input);
  return getRun(t, input.id).anomalyDetails;
}

describe('run-health rules', () => {
  const t = openTracker({ path: testStoreLocation(':memory:') });
  afterAll(() => t.close());

  it('stay quiet on a healthy run', () => {
    expect(rulesOf(t, healthy())).toEqual([]);
  });

  const cases: [string, (r: ImportRunInput) => ImportRunInput, Record<string, unknown>, number | null][] = [
    [
      'zero_loss',
      (r) => ({
        ...r,
        metrics: r.metrics!.map((m) => (m.key === 'loss' && m.step >= 12 ? { ...m, value: 0 } : m)),
      }),
      { key: 'loss', step: 12 },
      12,
    ],
    [
      'zero_loss',
      (r) => ({ ...r, metrics: [], summary: { final_loss: 0.0, epochs: 30 } }),
      { summary: { final_loss: 0 } },
      null,
    ],
    [
      'nan_loss',
      (r) => ({
        ...r,
        metrics: r.metrics!.map((m) =>
          m.key === 'val_loss' && m.step === 7 ? { ...m, value: Number.NaN } : m,
        ),
      }),
      { key: 'val_loss', step: 7 },
      7,
    ],
    [
      'inf_loss',
      (r) => ({
        ...r,
        metrics: r.metrics!.map((m) =>
          m.key === 'loss' && m.step > 20 ? { ...m, value: Number.POSITIVE_INFINITY } : m,
        ),
      }),
      { key: 'loss', step: 21 },
      21,
    ],
    [
      'too_short',
      (r) => ({ ...r, config: { num_classes: 7, epochs: 100 } }),
      { configuredEpochs: 100, completedEpochs: 30, earlyStop: null },
      null,
    ],
    [
      'failed_with_error',
      (r) => ({
        ...r,
        status: 'FAILED',
        error: { type: 'JSONDecodeError', message: 'Expecting value: line 1 column 9' },
      }),
      { errorType: 'JSONDecodeError' },
      null,
    ],
    ['no_metrics', (r) => ({ ...r, metrics: [] }), { metricPoints: 0 }, null],
    [
      'chance_level',
      (r) => ({ ...r, metrics: curve('loss', 30, (i) => Math.log(7) + 0.01 * Math.sin(i)) }),
      { numClasses: 7, classesFrom: 'num_classes' },
      0,
    ],
    [
      'diverging',
      (r) => ({ ...r, metrics: curve('loss', 30, (i) => (i < 10 ? 1 - i * 0.05 : 0.55 + (i - 10) * 0.2)) }),
      { key: 'loss', minLoss: 0.55 },
      13,
    ],
    [
      'plateau',
      (r) => ({ ...r, metrics: curve('loss', 30, (i) => (i < 12 ? 1.5 - i * 0.1 : 0.4)) }),
      { key: 'loss', bestEpoch: 11, patience: 10 },
      11,
    ],
    [
      'overfitting',
      (r) => ({
        ...r,
        metrics: [
          ...curve('loss', 30, (i) => 1.5 - i * 0.04),
          ...curve('val_loss', 30, (i) => (i <= 15 ? 1.6 - i * 0.05 : 0.85 + (i - 15) * 0.04)),
        ],
      }),
      { valMinEpoch: 15, valKey: 'val_loss' },
      16,
    ],
  ];
  for (const [rule, craft, evidence, firstStep] of cases) {
    it(`${rule} fires with evidence (${JSON.stringify(evidence)})`, () => {
      const input = craft({ ...healthy(), id: `${rule}-${JSON.stringify(evidence).length}` });
      const found = rulesOf(t, input);
      const hit = found.find((a) => a.rule === rule);
      expect(hit, JSON.stringify(found)).toBeDefined();
      expect(hit!.evidence).toMatchObject(evidence);
      expect(hit!.firstStep).toBe(firstStep);
      const errors = ['zero_loss', 'nan_loss', 'inf_loss', 'too_short', 'failed_with_error', 'no_metrics'];
      expect(hit!.severity).toBe(errors.includes(rule) ? 'error' : 'warning');
    });
  }

  it('duplicate flags the later of two runs with the same content hash, and only it', () => {
    importRun(t, { ...healthy(), id: 'first', contentHash: 'sha-1' });
    importRun(t, { ...healthy(), id: 'second', startedAt: healthy().startedAt + 1000, contentHash: 'sha-1' });
    expect(getRun(t, 'first').anomalies).toEqual([]);
    expect(getRun(t, 'second').anomalyDetails).toMatchObject([
      { rule: 'duplicate', evidence: { duplicateOf: ['first'] } },
    ]);
    // importing an even earlier copy moves the flag: the old "first" is now the duplicate
    importRun(t, { ...healthy(), id: 'zeroth', startedAt: healthy().startedAt - 1000, contentHash: 'sha-1' });
    expect(getRun(t, 'zeroth').anomalies).toEqual([]);
    expect(getRun(t, 'first').anomalies).toEqual(['duplicate']);
  });

  it('chance_level takes the class count from an option when the config has none', () => {
    const t2 = openTracker({ path: testStoreLocation(':memory:'), health: { numClasses: 4 } });
    const found = rulesOf(t2, { ...healthy(), config: {}, metrics: curve('loss', 30, () => Math.log(4)) });
    expect(found.find((a) => a.rule === 'chance_level')?.evidence).toMatchObject({
      numClasses: 4,
      classesFrom: 'option',
    });
    t2.close();
  });

  it('thresholds are configurable and recheck applies them to stored runs', () => {
    const nearChance = curve('loss', 30, (i) => Math.log(7) * (1.3 - (0.22 * i) / 29)); // ends 8 % above ln 7
    importRun(t, { ...healthy(), id: 'near-chance', metrics: nearChance });
    expect(getRun(t, 'near-chance').anomalies).toEqual([]);
    const r = recheckAnomalies(t, { runIds: ['near-chance'], health: { chanceTolerance: 0.1 } });
    expect(r.byRule).toEqual({ chance_level: 1 });
    expect(getRun(t, 'near-chance').anomalies).toEqual(['chance_level']);
  });

  it('re-importing a run replaces its points and findings', () => {
    importRun(t, { ...healthy(), id: 'again', metrics: curve('loss', 30, () => Number.NaN) });
    expect(getRun(t, 'again').anomalies).toContain('nan_loss');
    importRun(t, { ...healthy(), id: 'again' });
    const d = getRun(t, 'again');
    expect(d.anomalies).toEqual([]);
    expect(d.metrics.find((m) => m.key === 'loss')!.count).toBe(30);
  });

  it('noisy batch-level losses are judged per epoch (mean), not point by point', () => {
    // deterministic noise of ±40 % around a falling curve, 20 batches per epoch, 30 epochs
    const noise = (i: number) => 1 + 0.4 * Math.sin(i * 12.9898) * Math.cos(i * 78.233);
    const batches = (key: string, f: (epoch: number) => number, withEpochs = true) =>
      Array.from({ length: 600 }, (_, i) => ({
        key,
        step: i,
        epoch: withEpochs ? Math.floor(i / 20) : undefined,
        value: f(i / 20) * noise(i),
      }));
    const falling = (e: number) => 1.9 * Math.exp(-e / 8) + 0.05;
    expect(rulesOf(t, { ...healthy(), id: 'noisy-ok', metrics: batches('loss', falling) })).toEqual([]);
    expect(
      rulesOf(t, { ...healthy(), id: 'noisy-no-epochs', metrics: batches('loss', falling, false) }),
    ).toEqual([]);
    importRun(t, {
      ...healthy(),
      id: 'noisy-flat',
      metrics: batches('loss', (e) => (e < 10 ? falling(e) : falling(10))),
    });
    // batch noise moves epoch means by a few %, so min_delta must sit above it to call a plateau
    const r = recheckAnomalies(t, { runIds: ['noisy-ok', 'noisy-flat'], health: { minDelta: 0.05 } });
    expect(r.byRule).toEqual({ plateau: 1 });
    const [finding] = getRun(t, 'noisy-flat').anomalyDetails;
    expect(finding?.rule).toBe('plateau');
    expect(finding?.evidence.bestEpoch).toBeGreaterThanOrEqual(8); // the curve flattens at epoch 10
    expect(finding?.evidence.bestEpoch).toBeLessThanOrEqual(10);
  });
});
