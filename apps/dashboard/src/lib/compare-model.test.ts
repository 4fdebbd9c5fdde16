import { describe, expect, it } from 'vitest';
import { configRows } from './compare-model';

describe('configRows', () => {
  it('keeps a mapped setting’s label and each run’s own key, in run order', () => {
    const rows = configRows(
      {
        changed: [
          {
            key: 'training.lr',
            values: { live: 0.01, old: 0.001 },
            label: 'learning rate',
            rawKeys: { live: 'training.lr', old: 'learning_rate' },
          },
        ],
        onlyIn: [{ key: 'data_path', runs: ['old'], values: { old: '~/x' } }],
        same: [],
      },
      ['old', 'live'],
    );
    expect(rows).toEqual([
      { key: 'data_path', values: ['~/x', undefined], same: false },
      {
        key: 'training.lr',
        values: [0.001, 0.01],
        same: false,
        label: 'learning rate',
        rawKeys: ['learning_rate', 'training.lr'],
      },
    ]);
  });
});
