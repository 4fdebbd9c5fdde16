import { ingestLegacyFile } from '@kelly/legacy';
import { compareRuns, openTracker, type Comparison } from '@kelly/tracking';
import { fixture } from '@kelly/test-support';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTrainerArgs } from './cli-options';
import { resolveConfig } from './run-config';

const legacyLogs = fixture('legacy-logs');
const LOGS = legacyLogs.path;
const LEGACY = 'melodytransformer_20251226_092149';

/** Every setting the issue lists, under the trainer's key, with the legacy melody log's value. */
const MAPPED: [key: string, legacyKey: string, legacyValue: unknown][] = [
  ['training.lr', 'learning_rate', 0.001],
  ['training.batchSize', 'batch_size', 16],
  ['training.epochs', 'epochs', 50],
  ['modelConfig.dropout', 'dropout', 0.2],
  ['model.layerSizes', 'hidden_layers', [256, 256, 256]],
  ['features.sampleRate', 'sample_rate', 16000],
  ['features.nMels', 'n_mels', 64],
  ['features.nFft', 'n_fft', 1024],
  ['features.hop', 'hop_length', 256],
  ['data.clipSeconds', 'max_duration', 5],
  ['training.earlyStopping.patience', 'early_stopping_patience', 15],
  ['training.earlyStopping.minDelta', 'min_delta', 0.001],
  ['training.schedule.warmupEpochs', 'warmup_epochs', 5],
  ['training.weightDecay', 'weight_decay', 0.0001],
  ['training.optimizer', 'optimizer', 'adam'],
  ['training.schedule.type', 'scheduler', 'cosine'],
];

/** All config rows of a comparison, whatever their diff group, with each run's value. */
function rows(c: Comparison) {
  const ids = c.runs.map((r) => r.id);
  return [
    ...c.config.changed.map((r) => ({ ...r, group: 'both' })),
    ...c.config.same.map((r) => ({
      ...r,
      values: Object.fromEntries(ids.map((id) => [id, r.value])),
      group: 'both',
    })),
    ...c.config.onlyIn.map((r) => ({ ...r, group: 'onlyIn' })),
  ];
}

describe.skipIf(!legacyLogs.present)(
  `a live melody run and a legacy melody run share one vocabulary (${legacyLogs.needs})`,
  () => {
    it('compare lists every mapped setting with both values, the loss figures of both, and shared loss series', async () => {
      const tracker = openTracker({ path: ':memory:', handleSignals: false });
      try {
        // a live run as the trainer starts it (its real resolved smoke config) and logs it (its metric names)
        const config = resolveConfig(parseTrainerArgs(['melody', '--preset', 'smoke']));
        const run = await tracker.startRun({ experiment: 'melodytransformer', name: 'melody-smoke', config });
        let step = 0;
        for (let epoch = 1; epoch <= 3; epoch++) {
          for (let b = 0; b < 4; b++)
            run.logMetrics({ train_loss: 1 / (step + 1), lr: 0.01 }, { step: step++, epoch });
          run.logMetrics(
            { val_loss: 0.9 - 0.1 * epoch, epoch_train_loss: 0.8 - 0.1 * epoch, best_epoch: epoch },
            { step, epoch },
          );
        }
        run.logMetrics({ final_val_loss: 0.6 }, { step, epoch: 3 });
        await run.end();
        // a legacy log with per-epoch history, imported as the watcher does
        const doc = JSON.parse(readFileSync(join(LOGS, `${LEGACY}.json`), 'utf8')) as Record<string, unknown>;
        const history = {
          train_losses: [3.4, 3.1, 2.980784102631434],
          val_losses: [3.6, 3.42, 3.411780634287908],
        };
        const bytes = new TextEncoder().encode(JSON.stringify({ ...doc, ...history }, null, 2));
        const imported = ingestLegacyFile(tracker, {
          path: `/logs/${LEGACY}.json`,
          dir: '/logs',
          relPath: `${LEGACY}.json`,
          bytes,
        });
        expect(imported.outcome, imported.reason ?? '').toBe('imported');

        const c = compareRuns(tracker, { ids: [run.id, LEGACY], axis: 'epoch' });
        const byKey = new Map(rows(c).map((r) => [r.key, r]));
        for (const [key, legacyKey, legacyValue] of MAPPED) {
          const row = byKey.get(key);
          expect(row, key).toBeDefined();
          expect(row!.group, key).toBe('both');
          expect(row!.values[LEGACY], key).toEqual(legacyValue);
          expect(row!.values[run.id], key).toBeDefined();
          expect(row!.rawKeys?.[LEGACY], key).toBe(legacyKey);
          expect(row!.label, key).toBeTruthy();
          // the raw legacy key is not listed a second time as "only in one run"
          expect(byKey.has(legacyKey), legacyKey).toBe(false);
        }
        expect(byKey.get('training.lr')!.values[run.id]).toBe(config.training.lr);
        expect(byKey.get('model.layerSizes')!.values[run.id]).toEqual([96]);
        expect(byKey.get('data.clipSeconds')!.values[run.id]).toBeCloseTo(((48 - 1) * 256) / 16000, 6);
        expect(byKey.get('model.layerSizes')!.rawKeys?.[run.id]).toBe(
          'modelConfig.lstmUnits + modelConfig.lstmLayers',
        );

        const losses = new Map(c.losses.map((l) => [l.key, l]));
        expect(losses.get('final_train_loss')!.values).toEqual({
          [run.id]: 0.5,
          [LEGACY]: 2.980784102631434,
        });
        expect(losses.get('final_val_loss')!.values).toEqual({ [run.id]: 0.6, [LEGACY]: 3.411780634287908 });
        expect(losses.get('best_val_loss')!.values[run.id]).toBeCloseTo(0.6, 12);
        expect(losses.get('best_val_loss')!.values[LEGACY]).toBe(3.4100451381046075);
        expect(losses.get('best_epoch')!.values).toEqual({ [run.id]: 3, [LEGACY]: 21 });

        // the loss curves: the same keys for both runs, on the epoch axis
        for (const key of ['train_loss', 'val_loss']) {
          const of = (id: string) => c.series.find((s) => s.runId === id && s.key === key);
          expect(of(run.id), `${key} live`).toBeDefined();
          expect(
            of(LEGACY)?.points.map((p) => [p.x, p.value]),
            `${key} legacy`,
          ).toEqual(
            (key === 'train_loss' ? history.train_losses : history.val_losses).map((v, i) => [i + 1, v]),
          );
        }
      } finally {
        tracker.close();
      }
    });
  },
);
