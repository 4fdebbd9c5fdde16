import { watchLegacyDir } from '@kelly/legacy';
import { registryModelHistory } from '@kelly/registry';
import { openTracker } from '@kelly/tracking';
import type { Command } from 'commander';
import { z } from 'zod';
import type { CliContext } from '../context';
import { requireDir } from './ingest';
import type { RegisterCommand } from './register-command';

const WatchFlags = z.object({
  stabilityMs: z.coerce.number().int().min(0).default(1000),
});

/** `kelly watch <dir>`: initial scan, then imports every new or changed legacy log until SIGINT/SIGTERM. */
export const registerWatch: RegisterCommand = (program: Command, ctx: CliContext) => {
  program
    .command('watch')
    .description(
      'watch a folder of legacy Kelly training logs (recursive) and import every change; Ctrl-C stops',
    )
    .argument('<dir>', 'folder of legacy logs')
    .option('--stability-ms <ms>', 'a file counts as written when its size is stable this long', '1000')
    .action(async (dir: string, raw: unknown) => {
      const flags = WatchFlags.parse(raw);
      requireDir(dir);
      const tracker = openTracker({
        home: ctx.paths().home,
        staleAfterS: ctx.env.KELLY_STALE_AFTER_S,
        handleSignals: false,
      });
      tracker.sweepEvery(); // a long-lived writer stores the crash of dead runs (reads only show it)
      const stamp = (line: string) => ctx.out(`${new Date().toISOString()} ${line}`);
      const watcher = await watchLegacyDir(tracker, dir, {
        log: stamp,
        stabilityMs: flags.stabilityMs,
        onDocument: registryModelHistory(tracker),
      });
      stamp(`watching ${watcher.dir} (Ctrl-C to stop)`);
      const signal = await new Promise<NodeJS.Signals>((stop) => {
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
      });
      stamp(`${signal}: stopping`);
      await watcher.close();
      tracker.close();
      stamp('stopped');
    });
};
