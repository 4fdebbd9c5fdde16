import { describe, expect, it } from 'vitest';
import { TrainRunSchema, type TrainRun } from './train-run-schema';
import { experimentFromRunId, legacyStatus, naiveLocalToMs, trainRunToRecord } from './train-run-mapping';

const run = (over: Partial<TrainRun> & { config?: TrainRun['config'] } = {}): TrainRun =>
  TrainRunSchema.parse({
    run_id: 'emotion_recognizer_20251226_094410',
    config: { epochs: 50 },
    start_time: '2025-12-26T09:44:10.5',
    end_time: '2025-12-26T09:44:14',
    duration_seconds: 3.5,
    final_train_loss: 0.5,
    best_val_loss: Infinity,
    success: true,
    error: '',
    ...over,
  });

describe('legacy TrainRun mapping', () => {
  it('splits the experiment from the right of the run id when the model id has underscores', () => {
    expect(experimentFromRunId('emotion_recognizer_20251226_094410')).toBe('emotion_recognizer');
    expect(experimentFromRunId('not-a-run-id')).toBeNull();
    expect(trainRunToRecord(run()).experiment).toBe('emotion_recognizer');
    expect(trainRunToRecord(run({ config: { model_id: 'EmotionRecognizer' } })).experiment).toBe(
      'emotionrecognizer',
    );
  });

  it('maps success/error to FINISHED, FAILED (with the message) and KILLED (Ctrl-C: empty error)', () => {
    expect(legacyStatus({ success: true, error: '' })).toBe('FINISHED');
    expect(legacyStatus({ success: false, error: 'boom' })).toBe('FAILED');
    expect(legacyStatus({ success: false, error: '  ' })).toBe('KILLED');
    expect(legacyStatus({ success: false })).toBe('KILLED');
    const failed = trainRunToRecord(
      run({ success: false, error: "[Errno 2] No such file or directory: 'x'" }),
    );
    expect(failed.error).toEqual({ type: 'OSError', message: "[Errno 2] No such file or directory: 'x'" });
  });

  it('keeps naive local times as written and reads them as UTC only for ordering', () => {
    const r = trainRunToRecord(run());
    expect(r.startedAtLocal).toBe('2025-12-26T09:44:10.5');
    expect(r.startedAtMs).toBe(Date.UTC(2025, 11, 26, 9, 44, 10, 500));
    expect(naiveLocalToMs('2025-12-26T09:44:10.123456')).toBe(Date.UTC(2025, 11, 26, 9, 44, 10, 123));
    expect(naiveLocalToMs('yesterday')).toBeNull();
  });

  it('logs a success run’s Infinity best_val_loss but not the unfilled default of a failed one', () => {
    expect(trainRunToRecord(run()).metrics.map((m) => m.key)).toEqual(['train_loss', 'best_val_loss']);
    const failed = trainRunToRecord(run({ success: false, error: 'x', final_train_loss: 0 }));
    expect(failed.metrics).toEqual([]);
    expect(failed.summary).toMatchObject({
      final_train_loss: 0,
      best_val_loss: Infinity,
      epochs_configured: 50,
    });
  });

  it('drops "unknown" git commits and keeps unknown config keys', () => {
    const r = trainRunToRecord(run({ git_commit: 'unknown', config: { model_id: 'x', extra: { a: 1 } } }));
    expect(r.gitCommit).toBeNull();
    expect(r.config).toEqual({ model_id: 'x', extra: { a: 1 } });
  });
});
