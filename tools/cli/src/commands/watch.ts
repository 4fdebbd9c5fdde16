import { localIngestTarget, remoteIngestTarget, watchLegacyDirInto } from '@kelly/legacy';
import { registryModelHistory } from '@kelly/registry';
import type { Command } from 'commander';
import { z } from 'zod';
import type { CliContext } from '../context';
import { requireDir } from './ingest';
import { remoteTarget } from './remote-ingest-target';
import type { RegisterCommand } from './register-command';

const WatchFlags = z.object({
  stabilityMs: z.coerce.number().int().min(0).default(1000),
  hostLabel: z.string().optional(),
});

/**
 * `kelly watch <dir>`: initial scan, then imports every new or changed legacy log until SIGINT/SIGTERM; with
 * --tracking-uri it sends them to that server (waiting for it, with backoff, while it is unreachable).
 */
export const registerWatch: RegisterCommand = (program: Command, ctx: CliContext) => {
  program
    .command('watch')
    .description(
      'watch a folder of legacy Kelly training logs (recursive) and import every change (with --tracking-uri: into that server); Ctrl-C stops',
    )
    .argument('<dir>', 'folder of legacy logs')
    .option('--stability-ms <ms>', 'a file counts as written when its size is stable this long', '1000')
    .option(
      '--host-label <name>',
      "with --tracking-uri: this machine's name in the server's records (host:path; default the hostname)",
    )
    .action(async (dir: string, raw: unknown) => {
      const flags = WatchFlags.parse(raw);
      requireDir(dir);
      const stamp = (line: string) => ctx.out(`${new Date().toISOString()} ${line}`);
      const uri = ctx.trackingUri();
      const tracker = uri ? undefined : ctx.openStore('kelly watch');
      tracker?.sweepEvery(); // a long-lived writer stores the crash of dead runs (reads only show it)
      const target = tracker
        ? localIngestTarget(tracker)
        : remoteIngestTarget(remoteTarget(ctx, uri!, flags.hostLabel, stamp, Infinity));
      try {
        const watcher = await watchLegacyDirInto(target, dir, {
          log: stamp,
          stabilityMs: flags.stabilityMs,
          onDocument: tracker ? registryModelHistory(tracker) : undefined,
        });
        stamp(`watching ${watcher.dir} into ${target.location} (Ctrl-C to stop)`);
        const signal = await new Promise<NodeJS.Signals>((stop) => {
          process.once('SIGINT', () => stop('SIGINT'));
          process.once('SIGTERM', () => stop('SIGTERM'));
        });
        stamp(`${signal}: stopping`);
        await watcher.close();
      } finally {
        tracker?.close();
      }
      stamp('stopped');
    });
};
