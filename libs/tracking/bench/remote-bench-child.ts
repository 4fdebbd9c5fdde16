/**
 * One client of `npm run bench -- remote`. argv: <local|remote> <home, postgres:// URL or server URL> <steps>
 * <client home>
 * Opens its tracker, starts a run, prints `ready`, waits for `go` on stdin, logs <steps> steps of
 * {loss, val_loss} (yielding every 1000 steps, as a trainer's loop does), ends the run (remote: until the
 * server acknowledged everything), then prints one JSON line { t0, t1, points } (Unix ms).
 */
import { isPostgresUrl, openTracker } from '../src/index';

async function main(argv: string[]): Promise<void> {
  const [mode, target, stepsArg, clientHome] = argv.slice(2);
  const steps = Number(stepsArg);
  const tracker =
    mode === 'remote'
      ? openTracker({
          trackingUri: target!,
          home: clientHome!,
          handleSignals: false,
          drainTimeoutMs: 600_000,
        })
      : isPostgresUrl(target!)
        ? openTracker({ home: clientHome!, path: target!, handleSignals: false })
        : openTracker({ home: target!, handleSignals: false });
  const run = await tracker.startRun({ experiment: 'bench-remote', config: { mode, steps } });
  process.stdout.write('ready\n');
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
  const t0 = Date.now();
  for (let i = 0; i < steps; i++) {
    run.logMetrics({ loss: 1 / (i + 1), val_loss: 2 / (i + 1) }, { step: i, epoch: i >> 10 });
    if (i % 1000 === 999) await new Promise((r) => setImmediate(r));
  }
  await run.end();
  const t1 = Date.now();
  await tracker.close();
  process.stdout.write(`${JSON.stringify({ t0, t1, points: 2 * steps, runId: run.id })}\n`);
  process.exit(0);
}

void main(process.argv);
