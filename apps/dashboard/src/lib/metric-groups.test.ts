import { describe, expect, it } from 'vitest';
import { groupMetrics, primaryLossKey, primaryTaskMetric } from './metric-groups';
import { formatSi, unitOf } from './units';

/** The keys and point counts of a real `trainer:melody --preset smoke` run (16 epochs, 320 steps). */
const MELODY = new Map(
  Object.entries({
    baseline_f1_all_zeros: 1,
    baseline_f1_majority_pitch: 1,
    beats_baseline: 1,
    best_epoch: 17,
    epoch_lr: 16,
    epoch_time_s: 16,
    epoch_train_loss: 16,
    final_val_f1: 1,
    final_val_loss: 1,
    final_val_precision: 1,
    final_val_recall: 1,
    lr: 320,
    media_time_s: 4,
    media_total_s: 1,
    rtneural_frame_ms: 1,
    rtneural_max_abs_err: 1,
    rtneural_realtime_ratio: 1,
    samples_per_s: 16,
    train_f1: 16,
    train_loss: 320,
    train_precision: 16,
    train_recall: 16,
    val_f1: 16,
    val_loss: 16,
    val_precision: 16,
    val_recall: 16,
  }),
);

describe('metric groups', () => {
  it('melody: loss first with train and validation on one chart, f1 leads the task metrics, single values in the table', () => {
    const g = groupMetrics('melodytransformer', MELODY);
    expect(g.groups.map((x) => x.id)).toEqual(['loss', 'task', 'optimisation', 'speed']);
    expect(g.groups[0]!.charts).toEqual([
      { id: 'loss', title: 'loss', keys: ['train_loss', 'epoch_train_loss', 'val_loss'], markBest: true },
    ]);
    expect(g.groups[1]!.charts.map((c) => [c.title, c.keys])).toEqual([
      ['f1', ['train_f1', 'val_f1']],
      ['precision', ['train_precision', 'val_precision']],
      ['recall', ['train_recall', 'val_recall']],
    ]);
    expect(g.groups[2]!.charts.map((c) => c.keys)).toEqual([['lr', 'epoch_lr']]);
    expect(g.groups[3]!.charts.map((c) => c.title)).toEqual([
      'epoch_time_s',
      'media_time_s',
      'samples_per_s',
    ]);
    expect(g.singles).toEqual([
      'baseline_f1_all_zeros',
      'baseline_f1_majority_pitch',
      'beats_baseline',
      'final_val_f1',
      'final_val_loss',
      'final_val_precision',
      'final_val_recall',
      'media_total_s',
      'rtneural_frame_ms',
      'rtneural_max_abs_err',
      'rtneural_realtime_ratio',
    ]);
    const charted = g.groups.flatMap((x) => x.charts.flatMap((c) => c.keys));
    for (const s of g.singles) expect(charted).not.toContain(s);
    expect(g.all).toContain('best_epoch');
  });

  it('new metrics fall into sensible groups by name', () => {
    const g = groupMetrics(
      'melodytransformer',
      new Map([
        ['val_note_onset_f1', 5],
        ['train_note_onset_f1', 5],
        ['val_onset_loss', 5],
        ['grad_norm', 5],
        ['rtneural_frame_ms', 5],
        ['weird', 5],
        ['val_loss', 5],
      ]),
    );
    const where = Object.fromEntries(g.groups.flatMap((x) => x.charts.map((c) => [c.title, x.id])));
    expect(where).toEqual({
      loss: 'loss',
      onset_loss: 'loss',
      note_onset_f1: 'task',
      grad_norm: 'optimisation',
      rtneural_frame_ms: 'rtneural',
      weird: 'other',
    });
  });

  it('groove: the timing error in ms is a task metric (train vs validation), not a speed', () => {
    const g = groupMetrics(
      'groovepredictor',
      new Map([
        ['train_mae_ms', 3],
        ['val_mae_ms', 3],
        ['val_loss', 3],
        ['epoch_time_s', 3],
        ['rtneural_frame_ms', 1],
      ]),
    );
    expect(g.groups.map((x) => [x.id, x.charts.map((c) => c.title)])).toEqual([
      ['loss', ['loss']],
      ['task', ['mae_ms']],
      ['speed', ['epoch_time_s']],
    ]);
  });

  it('primary loss is validation loss where it exists; primary task metric per experiment', () => {
    expect(primaryLossKey(['baseline_f1_all_zeros', 'train_loss', 'val_loss'])).toBe('val_loss');
    expect(primaryLossKey(['loss', 'acc'])).toBe('loss');
    expect(primaryLossKey(['acc'])).toBeNull();
    expect(primaryTaskMetric('groovepredictor', ['val_mae_ms', 'val_loss'])).toBe('mae_ms');
    expect(primaryTaskMetric('emotionrecognizer', ['val_macro_f1', 'val_accuracy'])).toBe('accuracy');
  });

  it('units from names and SI formatting', () => {
    expect([
      unitOf('epoch_time_s'),
      unitOf('samples_per_s'),
      unitOf('rtneural_frame_ms'),
      unitOf('val_mae_ms'),
      unitOf('val_loss'),
    ]).toEqual(['s', '/s', 'ms', 'ms', '']);
    expect(formatSi(0.0021, 's')).toBe('2.1 ms');
    expect(formatSi(0.165, 'ms')).toBe('165 µs');
    expect(formatSi(12_500, '/s')).toBe('12.5 k/s');
    expect(formatSi(83, '/s')).toBe('83 /s');
    expect(formatSi(0.0551)).toBe('0.0551');
    expect(formatSi(2_500_000)).toBe('2.5M');
    expect([formatSi(NaN, 's'), formatSi(Infinity), formatSi(-Infinity)]).toEqual(['NaN', '+Inf', '−Inf']);
  });
});
