import * as tf from '@tensorflow/tfjs';
import toneMidi from '@tonejs/midi';
import { buildSynthDataset } from '@kelly/features';
import { AdamW, EarlyStopping, selectBackend } from '@kelly/models';
import { getRun, openTracker } from '@kelly/tracking';
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import wavefile from 'wavefile';
import { main } from '../src/main';
import { createProgress } from '../src/progress';
import { recordFailure } from '../src/run-failure';
import { TASKS } from '../src/tasks';
import { NonFiniteLossError, trainLoop } from '../src/training-loop';

let home = '';
beforeAll(async () => {
  await selectBackend();
  home = await mkdtemp(join(tmpdir(), 'kelly-trainer-fail-'));
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

const quiet = (lines: string[]) => ({
  out: (l: string) => lines.push(l),
  err: (l: string) => lines.push(l),
  env: {},
});
const runIdOf = (lines: string[]): string =>
  lines.map((l) => /run (\S+) (started|marked)/.exec(l)?.[1]).find(Boolean) ?? '';

describe('trainer failure paths', { timeout: 120_000 }, () => {
  it('bad flags: one line naming the flag, exit 2, no run recorded', async () => {
    const lines: string[] = [];
    expect(await main(['melody', '--batch-size', 'zero', '--home', home], quiet(lines))).toBe(2);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/--batch-size/);
    expect(await main(['groove', '--resume', 'no-such-run', '--home', home], quiet([]))).toBe(2);
  });

  it('a dataset that fails validation (sound, but all-zero targets) marks the run FAILED before any training step, with the report', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kelly-bad-data-'));
    const clips = ['a', 'b', 'c'].map((name, i) => {
      const wav = new wavefile.WaveFile();
      const tone = Int16Array.from({ length: 16000 }, (_, t) =>
        Math.round(8000 * Math.sin((2 * Math.PI * 440 * t) / 16000)),
      );
      wav.fromScratch(1, 16000, '16', tone); // 1 s of A4, but…
      writeFileSync(join(dir, `${name}.wav`), wav.toBuffer());
      const midi = new toneMidi.Midi();
      midi.addTrack(); // …no notes: an all-zero piano roll, the zero-loss trap
      writeFileSync(join(dir, `${name}.mid`), midi.toArray());
      return { audio: `${name}.wav`, midi: `${name}.mid`, split: i === 2 ? 'validation' : 'train' };
    });
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ version: 1, clipFrames: 32, clips }));
    const lines: string[] = [];
    const code = await main(
      [
        'melody',
        '--preset',
        'smoke',
        '--data',
        `manifest:${join(dir, 'manifest.json')}`,
        '--home',
        home,
        '--progress',
        'lines',
      ],
      quiet(lines),
    );
    expect(code, lines.join('\n')).toBe(1);
    expect(lines.join('\n')).toMatch(/dataset validation failed/);
    const tracker = openTracker({ home, handleSignals: false });
    const run = getRun(tracker, runIdOf(lines));
    tracker.close();
    expect(run.status).toBe('FAILED');
    expect(run.errorType).toBe('DatasetValidationError');
    expect(run.errorMessage).toMatch(/zero-targets/);
    expect(run.artifacts.map((a) => a.kind)).toContain('validation-report');
    expect(run.metrics.find((m) => m.key === 'train_loss')).toBeUndefined();
    await rm(dir, { recursive: true, force: true });
  });

  it('a NaN/Infinity loss stops training at that step and the run is FAILED with the step and value', async () => {
    const dataset = await buildSynthDataset('groove', { size: 40, seed: 3 });
    const task = TASKS.groove;
    const tracker = openTracker({ home, handleSignals: false });
    const run = await tracker.startRun({ experiment: 'groovepredictor', config: { test: 'nan' } });
    const model = task.createModel({ lstm1Units: 8, lstm2Units: 8 }, dataset, null);
    const optimizer = new AdamW();
    const train = task.toTensors(dataset.train, dataset);
    const val = task.toTensors(dataset.validation, dataset);
    let error: unknown;
    try {
      await trainLoop({
        task,
        loss: task.makeLoss({ positiveWeight: 1, onsetWeight: 0, offsetWeight: 0 }),
        dataset,
        model,
        optimizer,
        early: new EarlyStopping({ patience: 3, minDelta: 0, mode: 'min' }),
        state: { epoch: 0, globalStep: 0, early: { best: null, bestEpoch: null, wait: 0 }, elapsedS: 0 },
        run,
        progress: createProgress('lines', () => undefined),
        lrAt: () => 1e30,
        epochs: 3,
        batchSize: 8,
        seed: 1,
        train,
        val,
        artifactDir: await run.artifactDir(),
        stop: { requested: null },
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NonFiniteLossError);
    const nfe = error as NonFiniteLossError;
    expect(nfe.step).toBe(1); // step 0 applied a 1e30-sized update; step 1 sees the blown-up loss
    expect(Number.isFinite(nfe.loss)).toBe(false);
    await recordFailure(run, error);
    const detail = getRun(tracker, run.id);
    tracker.close();
    expect(detail.status).toBe('FAILED');
    expect(detail.errorType).toBe('NonFiniteLossError');
    expect(detail.errorMessage).toMatch(/at step 1/);
    expect(detail.metrics.find((m) => m.key === 'train_loss')?.nonFinite).toBe(1);
    expect(detail.anomalies.some((a) => a === 'nan_loss' || a === 'inf_loss')).toBe(true);
    tf.dispose([train.x, train.y, val.x, val.y]);
    model.dispose();
    optimizer.dispose();
  });

  it('SIGINT saves a checkpoint and marks the run KILLED; --resume continues the same run to FINISHED', async () => {
    const repo = resolve(import.meta.dirname, '../../..');
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'apps/trainer/src/main.ts',
        'groove',
        '--preset',
        'smoke',
        '--epochs',
        '60',
        '--home',
        home,
        '--progress',
        'lines',
      ],
      { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const out: string[] = [];
    let signalled = false;
    const exit = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out.push(chunk);
      if (!signalled && /epoch 2\/60/.test(out.join(''))) {
        signalled = true;
        child.kill('SIGINT');
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => out.push(chunk));
    expect(await exit, out.join('')).toBe(130);
    const id = runIdOf(out.join('').split('\n'));
    let tracker = openTracker({ home, handleSignals: false });
    const killed = getRun(tracker, id);
    tracker.close();
    expect(killed.status).toBe('KILLED');
    expect(killed.artifacts.map((a) => a.kind)).toContain('checkpoint');
    expect(existsSync(join(home, 'artifacts', id, 'checkpoints', 'last', 'state.json'))).toBe(true);
    const doneEpochs = killed.metrics.find((m) => m.key === 'val_loss')?.count ?? 0;
    expect(doneEpochs).toBeGreaterThanOrEqual(2);

    const lines: string[] = [];
    const code = await main(
      ['groove', '--resume', id, '--epochs', String(doneEpochs + 2), '--home', home, '--progress', 'lines'],
      quiet(lines),
    );
    expect(code, lines.join('\n')).toBe(0);
    expect(lines.join('\n')).toMatch(new RegExp(`resuming run ${id} after epoch ${doneEpochs}`));
    tracker = openTracker({ home, handleSignals: false });
    const resumed = getRun(tracker, id);
    const epochs = tracker.sql
      .prepare(`SELECT epoch FROM metrics WHERE run_id = ? AND key = 'val_loss' ORDER BY step`)
      .all(id) as { epoch: number }[];
    const steps = tracker.sql
      .prepare(
        `SELECT count(*) AS n, count(DISTINCT step) AS d FROM metrics WHERE run_id = ? AND key = 'train_loss'`,
      )
      .get(id) as { n: number; d: number };
    tracker.close();
    expect(resumed.status).toBe('FINISHED');
    expect(epochs.map((e) => e.epoch)).toEqual(Array.from({ length: doneEpochs + 2 }, (_, i) => i + 1));
    expect(steps.n).toBe(steps.d); // no step logged twice
    expect(resumed.artifacts.map((a) => a.kind)).toContain('rtneural');
  });
});
