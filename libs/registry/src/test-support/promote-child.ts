/**
 * Child process for the concurrent-promotion test. Usage: tsx promote-child.ts <home> <runId> <outDir> <store>
 * (`<store>`: the parent tracker's SQLite file or PostgreSQL URL).
 * Prints the PromoteResult's version on stdout.
 */
import { openTracker } from '@kelly/tracking';
import { promote } from '../promote';
import { nativePass } from './craft-run';

async function main(argv: string[]): Promise<void> {
  const [home, runId, outDir, store] = argv;
  if (!home || !runId || !outDir || !store)
    throw new Error('usage: promote-child <home> <runId> <outDir> <store>');
  const tracker = openTracker({ home, path: store, handleSignals: false });
  try {
    const r = await promote(tracker, {
      runId,
      alias: 'production',
      outDir,
      by: `child-${process.pid}`,
      validateModel: () => ({ ok: true, errors: [] }),
      checkNative: nativePass,
    });
    process.stdout.write(`${r.version}\n`);
  } finally {
    tracker.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}
