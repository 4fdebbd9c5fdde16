/**
 * Test child: logs metrics to a tracking store from its own process.
 * argv: <db> <mode> <points> [staleAfterS]
 *   mode `complete`: logs <points> points (key loss), ends the run, exits.
 *   mode `hang`: logs <points> points, flushes, prints `flushed <runId>` and keeps logging slowly until killed
 *   (SIGKILL test: the run must end up CRASHED; SIGINT test: KILLED with every point flushed). Its `onSignal`
 *   hook logs a `checkpoint_saved` point, as a trainer would save a checkpoint before dying.
 *   mode `exit`: logs <points> points and calls process.exit(3) without ending the run (exit hook → FAILED).
 * Every line on stdout is one event: `run <id>`, `flushed <id> <n>`, `done <id>`.
 */
import { openTracker } from '../../src/index';

async function main(argv: string[]): Promise<void> {
  const [db, mode, pointsArg, staleArg] = argv.slice(2);
  const points = Number(pointsArg);
  const tracker = openTracker({
    path: db!,
    staleAfterS: staleArg ? Number(staleArg) : 60,
    batchSize: 50,
    onSignal: async (_signal, runs) => {
      await new Promise((r) => setTimeout(r, 50)); // an async checkpoint save
      for (const r of runs) r.logMetrics({ checkpoint_saved: 1 }, { step: 0 });
    },
  });
  const run = await tracker.startRun({
    experiment: 'multiprocess',
    config: { mode, points, pid: process.pid },
  });
  process.stdout.write(`run ${run.id}\n`);
  for (let i = 0; i < points; i++) {
    run.logMetrics({ loss: 1 / (i + 1), val_loss: 2 / (i + 1) }, { step: i, epoch: Math.floor(i / 10) });
    if (i % 100 === 0) await new Promise((r) => setImmediate(r)); // let the other processes interleave
  }
  if (mode === 'exit') {
    process.stdout.write(`exiting ${run.id}\n`);
    process.exit(3);
  }
  if (mode === 'complete') {
    await run.end();
    tracker.close();
    process.stdout.write(`done ${run.id}\n`);
    return;
  }
  run.flush();
  process.stdout.write(`flushed ${run.id} ${points}\n`);
  // keep logging into the buffer (not flushed yet): SIGINT must flush these too
  let step = points;
  setInterval(() => {
    run.logMetrics({ loss: 0.001, val_loss: 0.002 }, { step: step++ });
    if (step === points + 5) process.stdout.write(`buffered ${run.id} ${step}\n`);
  }, 5);
}

void main(process.argv);
