import { testStoreLocation } from '@kelly/test-support';
import { afterAll, describe, expect, it } from 'vitest';
import { getRun, importRun, openTracker, type ImportRunInput } from '../index';

type Point = { key: string; step: number; epoch?: number; value: number };
/** Per-epoch loss and val_loss for `epochs` epochs numbered from `first` (the trainer numbers from 1). */
function epochs(n: number, val: (e: number) => number, first = 0, train = (e: number) => val(e) - 0.05) {
  const out: Point[] = [];
  for (let i = 0; i < n; i++) {
    const epoch = first + i;
    out.push({ key: 'train_loss', step: 10 * i, epoch, value: train(i) });
    out.push({ key: 'val_loss', step: 10 * i + 9, epoch, value: val(i) });
  }
  return out;
}
const falling = (e: number) => 1.5 * Math.exp(-e / 4) + 0.3;
/** What the trainer stores: config.training.{epochs, earlyStopping}, epochs from 1. */
const trainerRun = (id: string, configured: number, metrics: Point[]): ImportRunInput => ({
  id,
  experiment: 'groovepredictor',
  status: 'FINISHED',
  startedAt: 1_700_000_000_000,
  durationS: 6.2,
  config: {
    model: 'groove',
    preset: 'smoke',
    training: { epochs: configured, earlyStopping: { monitor: 'val_loss', patience: 3, minDelta: 0.001 } },
  },
  metrics,
});

describe('too_short judges the work, not the clock', () => {
  const t = openTracker({ path: testStoreLocation(':memory:') });
  afterAll(() => t.close());
  const rules = (input: ImportRunInput) => {
    importRun(t, input);
    return getRun(t, input.id).anomalyDetails;
  };
  const tooShort = (input: ImportRunInput) => rules(input).find((a) => a.rule === 'too_short');

  it('a complete 6-second smoke run (every configured epoch) is not flagged', () => {
    expect(rules(trainerRun('smoke-complete', 8, epochs(8, falling, 1)))).toEqual([]);
  });

  it('a run that stopped at 5 of 8 epochs while its val loss still improved is flagged, with the counts', () => {
    const hit = tooShort(trainerRun('stopped', 8, epochs(5, falling, 1)));
    expect(hit?.evidence).toMatchObject({ configuredEpochs: 8, completedEpochs: 5, earlyStop: null });
    expect(String(hit?.evidence.reason)).toMatch(/5 of 8 configured epochs without an early-stopping reason/);
    expect(hit?.severity).toBe('error');
  });

  it('an early stop shown by its own val loss and patience is a reason: not flagged', () => {
    const plateau = (e: number) => (e < 4 ? falling(e) : falling(4) + 0.0005 * (e % 2));
    expect(tooShort(trainerRun('early', 20, epochs(8, plateau, 1)))).toBeUndefined();
    // one epoch fewer of the plateau: patience 3 not yet reached, so stopping there had no reason
    expect(tooShort(trainerRun('early-too-soon', 20, epochs(6, plateau, 1)))?.evidence).toMatchObject({
      completedEpochs: 6,
      earlyStop: null,
    });
  });

  it('a recorded early-stopping reason counts, unless the loss is zero or NaN', () => {
    const base = trainerRun('recorded', 20, epochs(5, falling, 1));
    expect(tooShort({ ...base, summary: { stop_reason: 'early-stopped' } })).toBeUndefined();
    const zero = tooShort({
      ...base,
      id: 'recorded-zero',
      summary: { stop_reason: 'early-stopped' },
      metrics: epochs(5, falling, 1, () => 0),
    });
    expect(zero?.evidence).toMatchObject({ finalTrainLoss: 0, earlyStop: { recorded: 'early-stopped' } });
    const nan = tooShort({
      ...base,
      id: 'recorded-nan',
      summary: { early_stopped: true },
      metrics: epochs(5, falling, 1, (e) => (e === 4 ? Number.NaN : 1)),
    });
    expect(nan?.evidence).toMatchObject({ finalTrainLoss: 'NaN' });
  });

  it('legacy summaries: the unfilled defaults (final loss 0, best_epoch 0) are flagged; a long NaN run is not', () => {
    const legacy = (id: string, durationS: number, loss: number, bestEpoch: number): ImportRunInput => ({
      id,
      experiment: 'emotionrecognizer',
      source: 'legacy',
      status: 'FINISHED',
      startedAt: 1_700_000_000_000,
      durationS,
      config: { epochs: 50, early_stopping_patience: 15 },
      summary: { final_train_loss: loss, best_epoch: bestEpoch, epochs_configured: 50 },
      metrics: [{ key: 'train_loss', step: 0, value: loss }],
    });
    expect(tooShort(legacy('four-seconds', 4, 0, 0))?.evidence).toMatchObject({
      reason: expect.stringMatching(/no epoch finished/),
    });
    expect(tooShort(legacy('diverged', 452, Number.NaN, 0))).toBeUndefined();
    expect(tooShort(legacy('short-but-trained', 9.8, 0.93, 1))).toBeUndefined();
  });

  it('a run whose config names no epochs and logs no epoch numbers cannot be judged: not flagged', () => {
    const r = trainerRun('unknown', 1, [{ key: 'loss', step: 0, value: 0.4 }]);
    expect(tooShort({ ...r, config: { lr: 0.01 } })).toBeUndefined();
  });
});
