/**
 * A trainer that dies: starts a run, logs 30 points, flushes, prints "ready" and waits to be SIGKILLed
 * by the seeding test (so the run is left RUNNING with a stale heartbeat, exactly as a real crash).
 *   tsx crash-child.ts <KELLY_HOME> <store: SQLite file or postgres:// URL>
 */
import { openTracker } from '@kelly/tracking';

async function main(home: string, store: string): Promise<void> {
  const tracker = openTracker({ home, path: store, heartbeatMs: 60_000 });
  const run = await tracker.startRun({
    id: 'crashed-run',
    experiment: 'groovepredictor',
    name: 'killed mid-epoch',
    config: { model: { hidden: [128, 64] }, optimizer: { name: 'adam', lr: 0.001 }, epochs: 30 },
  });
  for (let step = 0; step < 30; step++) run.logMetrics({ loss: 1 / (step + 1) }, { step, epoch: step });
  run.flush();
  process.stdout.write('ready\n');
  setInterval(() => undefined, 1_000);
}

void main(process.argv[2]!, process.argv[3]!);
