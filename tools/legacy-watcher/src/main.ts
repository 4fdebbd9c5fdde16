import { watchLegacyDir } from '@kelly/legacy';
import { registryModelHistory } from '@kelly/registry';
import { kellyPaths, openTracker } from '@kelly/tracking';
import { Command, CommanderError } from 'commander';
import { statSync } from 'node:fs';
import { z } from 'zod';
import { readEnv } from './env';

const Flags = z.object({
  dir: z.string().min(1),
  home: z.string().min(1).optional(),
  stabilityMs: z.coerce.number().int().min(0).default(1000),
});

/**
 * `npx nx run legacy-watcher:watch -- --dir <path>`: imports every legacy log under <dir>, then keeps watching
 * until SIGINT/SIGTERM. Returns the exit code (0 stopped cleanly, 2 bad flags or missing folder).
 */
export async function main(argv: string[], stop?: Promise<unknown>): Promise<number> {
  const program = new Command('legacy-watcher')
    .requiredOption('--dir <path>', 'folder of legacy Kelly training logs (watched recursively)')
    .option('--home <dir>', 'Kelly home (env KELLY_HOME, default ./.kelly)')
    .option('--stability-ms <ms>', 'a file counts as written when its size is stable this long', '1000')
    .exitOverride();
  let flags: z.infer<typeof Flags>;
  try {
    program.parse(argv);
    flags = Flags.parse(program.opts());
    if (!statSync(flags.dir, { throwIfNoEntry: false })?.isDirectory())
      throw new Error(`not a directory: ${flags.dir}`);
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    process.stderr.write(`legacy-watcher: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  const env = readEnv();
  const tracker = openTracker({
    home: kellyPaths(flags.home, env.KELLY_HOME).home,
    envDatabaseUrl: env.KELLY_DATABASE_URL,
    staleAfterS: env.KELLY_STALE_AFTER_S,
    handleSignals: false,
  });
  tracker.sweepEvery(); // the watcher owns writes: it stores the crash of dead runs (reads only show it)
  const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
  const watcher = await watchLegacyDir(tracker, flags.dir, {
    log,
    stabilityMs: flags.stabilityMs,
    onDocument: registryModelHistory(tracker),
  });
  log(`watching ${watcher.dir} into ${tracker.location} (Ctrl-C to stop)`);
  const reason = await (stop ??
    new Promise<string>((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    }));
  log(`${String(reason)}: stopping`);
  await watcher.close();
  tracker.close();
  log('stopped');
  return 0;
}

// run directly (`node --import tsx src/main.ts`); the watcher process itself starts from watch-process.cjs
if (import.meta.url === `file://${process.argv[1]}`) {
  void main(process.argv).then((code) => (process.exitCode = code));
}
