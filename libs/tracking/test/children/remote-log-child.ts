/**
 * Test child: a trainer-like process logging to a tracking server.
 * argv: <uri> <home> <steps> <mode> [batchSize] [token]
 *   mode `complete`: logs <steps> steps of {loss, val_loss} (yielding to the event loop as a trainer does),
 *   prints `progress <id>` at the half, ends the run, prints `done <id> <drained>`.
 *   mode `hang`: logs <steps> steps, drains, prints `flushed <id>`, then idles until killed (heartbeats continue).
 *   mode `spool`: logs <steps> steps and ends the run, waiting at most 2 s for the server; prints
 *   `spooled <id> <pending>` (operations left in the spool file for the next client of this server) and exits.
 *   mode `replay`: logs nothing; adopts the spool of dead clients of this server, drains it, prints
 *   `replayed <adopted> <drained>`.
 */
import { openTracker } from '../../src/index';

async function main(argv: string[]): Promise<void> {
  const [uri, home, stepsArg, mode, batchArg, token] = argv.slice(2);
  const steps = Number(stepsArg);
  const tracker = openTracker({
    trackingUri: uri!,
    home: home!,
    ...(token ? { token } : {}),
    batchSize: batchArg ? Number(batchArg) : 5000,
    heartbeatMs: 200,
    drainTimeoutMs: mode === 'spool' ? 2000 : 120_000,
  });
  if (mode === 'replay') {
    const drained = await tracker.drain();
    await tracker.close();
    process.stdout.write(`replayed ${tracker.adopted} ${drained}\n`);
    return;
  }
  const run = await tracker.startRun({ experiment: 'remote-faults', config: { steps, pid: process.pid } });
  process.stdout.write(`run ${run.id}\n`);
  for (let i = 0; i < steps; i++) {
    run.logMetrics({ loss: 1 / (i + 1), val_loss: 2 / (i + 1) }, { step: i, epoch: Math.floor(i / 100) });
    if (i % 200 === 0) await new Promise((r) => setTimeout(r, 1)); // a training step's worth of other work
    if (i === steps >> 1) process.stdout.write(`progress ${run.id}\n`);
  }
  if (mode === 'hang') {
    run.flush();
    await tracker.drain();
    process.stdout.write(`flushed ${run.id}\n`);
    setInterval(() => undefined, 1000);
    return;
  }
  await run.end();
  const pending = tracker.queue.pending;
  await tracker.close();
  if (mode === 'spool') process.stdout.write(`spooled ${run.id} ${pending}\n`);
  else process.stdout.write(`done ${run.id} ${tracker.queue.pending === 0}\n`);
}

void main(process.argv);
