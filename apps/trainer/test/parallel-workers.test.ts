import { getRun, openTracker } from '@kelly/tracking';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/main';

let home = '';
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'kelly-trainer-workers-'));
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

describe('--workers', () => {
  it(
    'trains with 2 gradient worker threads (frozen input-norm layer and a custom weighted loss cross threads) and finishes the run',
    { timeout: 240_000 },
    async () => {
      const lines: string[] = [];
      const code = await main(
        [
          'melody',
          '--preset',
          'smoke',
          '--workers',
          '2',
          '--epochs',
          '3',
          '--size',
          '48',
          '--home',
          home,
          '--progress',
          'lines',
        ],
        { out: (l) => lines.push(l), err: (l) => lines.push(l), env: {} },
      );
      expect(code, lines.join('\n')).toBe(0);
      const id = lines.map((l) => /^run (\S+) started/.exec(l)?.[1]).find(Boolean) ?? '';
      const tracker = openTracker({ home, handleSignals: false });
      const run = getRun(tracker, id);
      tracker.close();
      expect(run.status).toBe('FINISHED');
      expect((run.system as { trainingWorkers?: number }).trainingWorkers).toBe(2);
      const trainLoss = run.metrics.find((m) => m.key === 'train_loss');
      expect(trainLoss?.nonFinite).toBe(0);
      expect(trainLoss?.last).toBeLessThan(0.5); // BCE starts at ~0.69·(1 + w·density); it must have moved
      expect(run.metrics.find((m) => m.key === 'rtneural_max_abs_err')?.last).toBeLessThanOrEqual(1e-4);
    },
  );
});
