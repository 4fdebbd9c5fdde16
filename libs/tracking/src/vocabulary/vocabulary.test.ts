import { describe, expect, it } from 'vitest';
import { epochsFromConfig } from '../health/loss-keys';
import { CONFIG_VOCABULARY, mapConfig } from './config-vocabulary';
import { LOSS_VOCABULARY, lossFigure } from './loss-vocabulary';

const flat = (o: Record<string, unknown>) => new Map(Object.entries(o));

describe('the shared vocabulary of legacy and live runs', () => {
  it('renames a legacy TrainConfig to the trainer keys, keeping each raw key; unknown keys stay', () => {
    const m = mapConfig(
      flat({ learning_rate: 0.001, hidden_layers: [256, 128], data_path: '~/x' }),
      'legacy',
    );
    expect(Object.fromEntries(m.values)).toEqual({
      'training.lr': 0.001,
      'model.layerSizes': [256, 128],
      data_path: '~/x',
    });
    expect(Object.fromEntries(m.rawKeys)).toEqual({
      'training.lr': 'learning_rate',
      'model.layerSizes': 'hidden_layers',
    });
  });

  it('derives layer sizes and clip length for a live run from the keys the trainer stores', () => {
    const melody = mapConfig(
      flat({
        'modelConfig.lstmUnits': 256,
        'modelConfig.lstmLayers': 3,
        'data.clipFrames': 313,
        'features.hop': 256,
        'features.sampleRate': 16000,
      }),
      'live',
    );
    expect(melody.values.get('model.layerSizes')).toEqual([256, 256, 256]);
    expect(melody.values.get('data.clipSeconds')).toBe(4.992);
    const groove = mapConfig(flat({ 'modelConfig.lstm2Units': 64, 'modelConfig.lstm1Units': 128 }), 'live');
    expect(groove.values.get('model.layerSizes')).toEqual([128, 64]);
    expect(groove.rawKeys.get('model.layerSizes')).toBe('modelConfig.lstm1Units + modelConfig.lstm2Units');
    // a live run never has its keys renamed, even when they look like legacy fields
    expect(mapConfig(flat({ learning_rate: 1 }), 'live').values.get('learning_rate')).toBe(1);
  });

  it('maps every legacy TrainConfig setting the issue lists, each to one trainer key', () => {
    expect(CONFIG_VOCABULARY.map((t) => t.legacy).sort()).toEqual(
      [
        'batch_size',
        'dropout',
        'early_stopping_patience',
        'epochs',
        'hidden_layers',
        'hop_length',
        'learning_rate',
        'max_duration',
        'min_delta',
        'n_fft',
        'n_mels',
        'optimizer',
        'sample_rate',
        'scheduler',
        'warmup_epochs',
        'weight_decay',
      ].sort(),
    );
    expect(new Set(CONFIG_VOCABULARY.map((t) => t.key)).size).toBe(CONFIG_VOCABULARY.length);
  });

  it('reads loss figures from a legacy summary and from a live run’s metrics', () => {
    const term = (k: string) => LOSS_VOCABULARY.find((t) => t.key === k)!;
    const legacy = {
      source: 'legacy' as const,
      summary: { final_train_loss: 2.5, best_val_loss: Infinity },
      metrics: [],
    };
    expect(lossFigure(term('final_train_loss'), legacy)).toEqual({
      value: 2.5,
      from: 'summary.final_train_loss',
    });
    expect(lossFigure(term('best_val_loss'), legacy)?.value).toBe(Infinity);
    const live = {
      source: 'live' as const,
      summary: null,
      metrics: [
        { key: 'train_loss', last: 0.9, min: 0.5 },
        { key: 'epoch_train_loss', last: 0.7, min: 0.6 },
        { key: 'val_loss', last: 0.8, min: 0.4 },
      ],
    };
    expect(lossFigure(term('final_train_loss'), live)).toEqual({
      value: 0.7,
      from: 'epoch_train_loss (last)',
    });
    expect(lossFigure(term('final_val_loss'), live)).toEqual({ value: 0.8, from: 'val_loss (last)' });
    expect(lossFigure(term('best_val_loss'), live)).toEqual({ value: 0.4, from: 'val_loss (min)' });
    expect(lossFigure(term('final_test_loss'), live)).toBeUndefined();
  });

  it('the health rules read configured epochs through it (trainer key first, then the legacy field)', () => {
    expect(epochsFromConfig(flat({ 'training.epochs': 16, epochs: 50 }))).toBe(16);
    expect(epochsFromConfig(flat({ epochs: 50 }))).toBe(50);
    expect(epochsFromConfig(flat({ 'optim.max_epochs': 7 }))).toBe(7);
  });
});
