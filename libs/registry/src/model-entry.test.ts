import { describe, expect, it } from 'vitest';
import { buildModelEntry, modelIdFor, trainingBlock } from './model-entry';
import { ModelEntrySchema } from '@kelly/legacy';
import { hasShared, schemaValidator } from './test-support/schema-check';

/** The trainer's run as stored (apps/trainer run-config.ts + setSystem({ dataset })). */
const trainerRun = {
  id: '20261124-024916-539644',
  config: {
    model: 'melody',
    preset: 'smoke',
    training: { epochs: 15, batchSize: 8, lr: 0.005, optimizer: 'adamw' },
  },
  system: { dataset: { id: 'synth-melody-v1', hash: 'a1d5', train: 128 } },
  gitCommit: 'e7b5bbc',
  hardware: 'AMD EPYC ×2',
  startedAt: Date.UTC(2026, 10, 24, 2, 49, 16),
  endedAt: Date.UTC(2026, 10, 24, 2, 50, 11),
  durationS: 54.45,
  lastMetrics: {
    train_loss: 0.056,
    epoch_train_loss: 0.047,
    val_loss: 0.0602,
    final_val_loss: 0.0601,
    test_loss: Number.NaN,
  },
};

describe('registry entry from a run', () => {
  it('fills the training block from the trainer config, system.dataset and the final metrics', () => {
    expect(trainingBlock(trainerRun)).toEqual({
      dataset_id: 'synth-melody-v1',
      dataset_version: 'a1d5',
      epochs: 15,
      batch_size: 8,
      learning_rate: 0.005,
      optimizer: 'adamw',
      train_loss: 0.047,
      val_loss: 0.0601, // the exported best-epoch model's, not the last epoch's
      run_id: '20261124-024916-539644',
      git_commit: 'e7b5bbc',
      training_date: '2026-11-24T02:50:11.000Z',
      hardware: 'AMD EPYC ×2',
      duration_seconds: 54.45, // the real duration, never the old 0.0
    });
  });

  it('derives duration from start/end when the run has none, and leaves out non-finite losses', () => {
    const b = trainingBlock({ ...trainerRun, durationS: null });
    expect(b.duration_seconds).toBe(55);
    expect('test_loss' in b).toBe(false);
  });

  it('builds a schema-valid production entry with sizes and parameter count from the RTNeural summary', () => {
    const e = buildModelEntry({
      modelId: modelIdFor('MelodyTransformer'),
      version: 2,
      summary: {
        inputSize: 64,
        outputSize: 128,
        archHint: '64→lstm256→dense128',
        params: 1_412_224,
        layerTypes: ['lstm', 'dense'],
      },
      run: trainerRun,
    });
    expect(e).toMatchObject({
      id: 'melodytransformer',
      task: 'melody_generation',
      status: 'production',
      input_size: 64,
      output_size: 128,
      params_estimate: '~1.4M',
      note: 'v2 from run 20261124-024916-539644',
    });
    expect(ModelEntrySchema.safeParse(e).success).toBe(true);
    expect(
      buildModelEntry({
        modelId: 'my_model',
        version: 1,
        summary: { inputSize: 1, outputSize: 1, archHint: '', params: 3, layerTypes: [] },
        run: trainerRun,
      }).task,
    ).toBe('custom');
  });

  it("publishes the run's note decoding as note_decoding, valid under Kelly's registry schema", () => {
    const noteDecoding = { onsetThreshold: 0.6, frameThreshold: 0.35, minFrames: 3, reonsetDelta: 0.25 };
    const e = buildModelEntry({
      modelId: 'melodytransformer',
      version: 3,
      summary: { inputSize: 64, outputSize: 128, archHint: '', params: 3, layerTypes: [] },
      run: { ...trainerRun, config: { ...trainerRun.config, noteDecoding } },
    });
    expect(e.note_decoding).toMatchObject({
      onset_threshold: 0.6,
      frame_threshold: 0.35,
      min_frames: 3,
      reonset_delta: 0.25,
    });
    expect(ModelEntrySchema.safeParse(e).success).toBe(true);
    if (hasShared) {
      const doc = { registry_version: '1.1', models: [{ ...e, exports: { sha256: 'ab' } }] };
      expect(schemaValidator()(doc)).toEqual([]);
    }
    // no decoding recorded (other models, older runs): no block
    expect(
      'note_decoding' in
        buildModelEntry({
          modelId: 'melodytransformer',
          version: 1,
          summary: { inputSize: 64, outputSize: 128, archHint: '', params: 3, layerTypes: [] },
          run: trainerRun,
        }),
    ).toBe(false);
    // a malformed record is refused, naming the field
    expect(() =>
      buildModelEntry({
        modelId: 'melodytransformer',
        version: 4,
        summary: { inputSize: 64, outputSize: 128, archHint: '', params: 3, layerTypes: [] },
        run: {
          ...trainerRun,
          config: { ...trainerRun.config, noteDecoding: { ...noteDecoding, minFrames: 0 } },
        },
      }),
    ).toThrow(/config\.noteDecoding\.minFrames/);
  });
});
