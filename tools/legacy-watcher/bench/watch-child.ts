import { watchLegacyDir } from '@kelly/legacy';
import { openTracker } from '@kelly/tracking';
import { readdir } from 'node:fs/promises';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { syntheticTrainRun } from '@kelly/legacy';

const CHANGED = 200;

/** Child mode: watch `dir` into `db`, change CHANGED files once the initial import is done, report peak RSS. */
export async function watchChild(dir: string, db: string): Promise<void> {
  const tracker = openTracker({ path: db, handleSignals: false });
  let decided = 0;
  const t0 = performance.now();
  const watcher = await watchLegacyDir(tracker, dir, {
    stabilityMs: 200,
    pollMs: 50,
    onDecision: () => decided++,
  });
  const initialMs = performance.now() - t0;
  const before = decided;
  const names = (await readdir(join(dir, 'batch-0'))).slice(0, CHANGED);
  for (const n of names)
    writeFileSync(join(dir, 'batch-0', n), syntheticTrainRun({ index: 50_000 + names.indexOf(n) }));
  const deadline = Date.now() + 120_000;
  while (decided - before < names.length && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 50));
  await watcher.idle();
  const changedSeen = decided - before;
  await watcher.close();
  tracker.close();
  process.stdout.write(
    JSON.stringify({
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      initialMs,
      changedSeen,
      changed: names.length,
    }),
  );
}
