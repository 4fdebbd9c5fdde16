import { describe, expect, it } from 'vitest';
import { parseTrainerArgs, UsageError } from './cli-options';
import { FULL_NOTE_DECODING, MELODY_NOTE_DECODING } from './presets';
import { resolveConfig } from './run-config';

function usage(argv: string[]): string {
  try {
    parseTrainerArgs(argv);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error(`expected a UsageError for ${argv.join(' ')}`);
}

describe('trainer flags', () => {
  it('defaults to the default preset on synthetic data, and drops the `--` nx forwards', () => {
    const o = parseTrainerArgs(['melody', '--', '--seed', '7']);
    expect(o).toMatchObject({ model: 'melody', preset: 'default', seed: 7, data: { type: 'synth' } });
  });

  it('parses every flag into typed values', () => {
    const o = parseTrainerArgs([
      'groove',
      '--preset',
      'smoke',
      '--epochs',
      '3',
      '--batch-size',
      '4',
      '--lr',
      '0.002',
      '--data',
      'maestro:/data/maestro',
      '--resume',
      '20261124-010203-abcdef',
      '--home',
      '/tmp/k',
      '--workers',
      '2',
    ]);
    expect(o).toMatchObject({
      model: 'groove',
      preset: 'smoke',
      epochs: 3,
      batchSize: 4,
      lr: 0.002,
      data: { type: 'maestro', path: '/data/maestro' },
      resume: '20261124-010203-abcdef',
      home: '/tmp/k',
      workers: 2,
    });
    expect(parseTrainerArgs(['melody', '--data', 'manifest:m.json']).data).toEqual({
      type: 'manifest',
      path: 'm.json',
    });
  });

  it('names the flag in a one-line error for each bad value', () => {
    expect(usage(['melody', '--preset', 'huge'])).toMatch(/--preset/);
    expect(usage(['melody', '--epochs', '0'])).toMatch(/--epochs/);
    expect(usage(['melody', '--epochs', '2.5'])).toMatch(/--epochs/);
    expect(usage(['melody', '--batch-size', 'x'])).toMatch(/--batch-size/);
    expect(usage(['melody', '--lr', '-1'])).toMatch(/--lr/);
    expect(usage(['melody', '--data', 'kaggle:foo'])).toMatch(/--data/);
    expect(usage(['melody', '--workers', '0'])).toMatch(/--workers/);
    expect(usage(['piano'])).toMatch(/model/);
    expect(usage(['melody', '--frobnicate'])).toMatch(/frobnicate/);
    for (const m of [usage(['melody', '--lr', 'abc']), usage(['melody', '--preset', 'x'])])
      expect(m).not.toContain('\n');
  });

  it('resolves the full preset: the seed size, and for melody our loss weighting and schedule', () => {
    const c = resolveConfig(parseTrainerArgs(['melody', '--preset', 'full']));
    expect(c.training).toMatchObject({
      epochs: 50,
      batchSize: 16,
      lr: 3e-3,
      positiveWeight: 3,
      weightDecay: 1e-4,
      schedule: { warmupEpochs: 2 },
      earlyStopping: { patience: 15, minDelta: 0.0001 },
    });
    expect(c.data).toMatchObject({ clipFrames: 313, size: 1400 });
    expect(c.modelConfig).toMatchObject({ lstmUnits: 256, lstmLayers: 3 });
    expect(c.noteDecoding).toEqual(FULL_NOTE_DECODING);
    expect(resolveConfig(parseTrainerArgs(['melody'])).noteDecoding).toEqual(MELODY_NOTE_DECODING);
    // the other models keep the seed recipe
    expect(resolveConfig(parseTrainerArgs(['groove', '--preset', 'full'])).training).toMatchObject({
      lr: 1e-3,
      positiveWeight: 1,
      schedule: { warmupEpochs: 5 },
    });
    expect(resolveConfig(parseTrainerArgs(['groove', '--preset', 'full'])).noteDecoding).toBeUndefined();
    const o = resolveConfig(
      parseTrainerArgs(['melody', '--preset', 'full', '--epochs', '2', '--lr', '0.01']),
    );
    expect(o.training).toMatchObject({ epochs: 2, lr: 0.01 });
  });
});
