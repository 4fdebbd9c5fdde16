import * as tf from '@tensorflow/tfjs';
import { selectBackend, type BackendInfo } from '@kelly/models';
import { getRun, openTracker } from '@kelly/tracking';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTrainerArgs } from './cli-options';
import { createProgress } from './progress';
import { resolveConfig } from './run-config';
import { trainRun } from './train-run';

let home = '';
let backend: BackendInfo;
beforeAll(async () => {
  backend = await selectBackend();
  home = await mkdtemp(join(tmpdir(), 'kelly-train-run-'));
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('trainRun', () => {
  it(
    'releases every tensor when the export stage throws, the loaded best-epoch model included',
    { timeout: 120_000 },
    async () => {
      const tracker = openTracker({ home, handleSignals: false });
      const config = resolveConfig(
        parseTrainerArgs(['groove', '--preset', 'smoke', '--epochs', '2', '--size', '96', '--workers', '1']),
      );
      const run = await tracker.startRun({ experiment: 'groovepredictor', config });
      const artifactDir = await run.artifactDir();
      // A file where the export's folder goes: writing rtneural/ fails after the best model is loaded.
      await writeFile(join(artifactDir, 'rtneural'), 'not a folder');
      const before = tf.memory().numTensors;
      const error = await trainRun({
        tracker,
        run,
        config,
        backend,
        progress: createProgress('lines', () => {}),
        stop: { requested: null },
        resume: false,
        log: () => {},
      }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(String(error)).toMatch(/EEXIST|ENOTDIR/);
      expect(existsSync(join(artifactDir, 'checkpoints', 'best', 'model.json'))).toBe(true);
      expect(tf.memory().numTensors).toBe(before);
      // the stages before the export ran and recorded their figures
      await run.fail(error);
      const detail = getRun(tracker, run.id);
      tracker.close();
      expect(detail.metrics.map((m) => m.key)).toContain('final_val_mae_ms');
      expect(detail.artifacts.map((a) => a.kind)).toContain('model');
    },
  );
});
