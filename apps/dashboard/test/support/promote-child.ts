/**
 * One dashboard server process's promotion, for the concurrent-promotion test: opens the shared store with its own
 * home (its own published models folder, as a second server would have), builds the router caller the server
 * builds (real RTNeural validator and native check), prints `ready`, waits for a line on stdin, then promotes
 * `<runId>` to production through `models.promote` and prints the result as one JSON line.
 *   tsx promote-child.ts <home> <store> <runId>
 */
import { checkNativeModel } from '@kelly/rtneural-native';
import { openTracker } from '@kelly/tracking';
import { pathToFileURL } from 'node:url';
import { createContextInner } from '../../src/server/context';
import { createCaller } from '../../src/server/root';
import { VENDOR_RTNEURAL } from './seed';

async function main(argv: string[]): Promise<void> {
  const [home, store, runId] = argv;
  if (!home || !store || !runId) throw new Error('usage: promote-child <home> <store> <runId>');
  const tracker = openTracker({ home, path: store, handleSignals: false });
  try {
    const caller = createCaller(
      createContextInner({
        tracker,
        loadNativeCheck: async () => (input) =>
          checkNativeModel({ ...input, heldOut: input.heldOutPath, rtneuralDir: VENDOR_RTNEURAL }),
      }),
    );
    // the gates' validator and native runner loaded (and built) before the start signal
    await caller.models.preview({ runId, alias: 'production' });
    process.stdout.write('ready\n');
    await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
    const result = await caller.models.promote({ runId, alias: 'production', by: `pid ${process.pid}` });
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    tracker.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
