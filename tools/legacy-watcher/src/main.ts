import {
  HostLabelSchema,
  localIngestTarget,
  remoteIngestTarget,
  watchLegacyDirInto,
  type IngestTarget,
} from '@kelly/legacy';
import { registryModelHistory } from '@kelly/registry';
import { kellyPaths, openTracker, type Tracker } from '@kelly/tracking';
import { Command, CommanderError } from 'commander';
import { statSync } from 'node:fs';
import { z } from 'zod';
import { readEnv, type WatcherEnv } from './env';

const Flags = z.object({
  dir: z.string().min(1),
  home: z.string().min(1).optional(),
  stabilityMs: z.coerce.number().int().min(0).default(1000),
  trackingUri: z
    .string()
    .regex(/^https?:\/\/[^/\s]+\/?$/, 'must be http://host:port')
    .optional(),
  hostLabel: HostLabelSchema.optional(),
});
type WatcherFlags = z.infer<typeof Flags>;

/** `--flag-name: message` of a flag's first issue. */
const flagError = (e: z.ZodError): string => {
  const issue = e.issues[0];
  const flag = String(issue?.path[0] ?? '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  return `--${flag}: ${issue?.message ?? 'invalid'}`;
};

/**
 * `npx nx run legacy-watcher:watch -- --dir <path>`: imports every legacy log under <dir>, then keeps watching
 * until SIGINT/SIGTERM; with `--tracking-uri` (or KELLY_TRACKING_URI) into that Kelly server instead of the local
 * store. Returns the exit code (0 stopped cleanly, 1 refused by the server, 2 bad flags or missing folder).
 */
export async function main(argv: string[], stop?: Promise<unknown>, env?: WatcherEnv): Promise<number> {
  const program = new Command('legacy-watcher')
    .requiredOption('--dir <path>', 'folder of legacy Kelly training logs (watched recursively)')
    .option('--home <dir>', 'Kelly home (env KELLY_HOME, default ./.kelly)')
    .option('--stability-ms <ms>', 'a file counts as written when its size is stable this long', '1000')
    .option(
      '--tracking-uri <url>',
      'send the logs to this Kelly server (env KELLY_TRACKING_URI; token: KELLY_TRACKING_TOKEN)',
    )
    .option('--host-label <name>', "this machine's name in the server's records (default the hostname)")
    .exitOverride();
  let flags: WatcherFlags;
  try {
    program.parse(argv);
    flags = Flags.parse(program.opts());
    if (!statSync(flags.dir, { throwIfNoEntry: false })?.isDirectory())
      throw new Error(`not a directory: ${flags.dir}`);
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    const message = e instanceof z.ZodError ? flagError(e) : e instanceof Error ? e.message : String(e);
    process.stderr.write(`legacy-watcher: ${message}\n`);
    return 2;
  }
  const vars = env ?? readEnv();
  const uri = flags.trackingUri ?? vars.KELLY_TRACKING_URI;
  const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
  let tracker: Tracker | undefined;
  let target: IngestTarget;
  if (uri) {
    target = remoteIngestTarget({
      trackingUri: uri,
      token: vars.KELLY_TRACKING_TOKEN,
      host: flags.hostLabel,
      log,
    });
  } else {
    tracker = openTracker({
      home: kellyPaths(flags.home, vars.KELLY_HOME).home,
      envDatabaseUrl: vars.KELLY_DATABASE_URL,
      staleAfterS: vars.KELLY_STALE_AFTER_S,
      handleSignals: false,
    });
    tracker.sweepEvery(); // the watcher owns writes: it stores the crash of dead runs (reads only show it)
    target = localIngestTarget(tracker);
  }
  let watcher;
  try {
    watcher = await watchLegacyDirInto(target, flags.dir, {
      log,
      stabilityMs: flags.stabilityMs,
      onDocument: tracker ? registryModelHistory(tracker) : undefined,
    });
  } catch (e) {
    // a remote server that refuses this watcher (wrong token, read-only token): one line, exit 1
    process.stderr.write(`legacy-watcher: ${e instanceof Error ? e.message : String(e)}\n`);
    tracker?.close();
    return 1;
  }
  log(`watching ${watcher.dir} into ${target.location} (Ctrl-C to stop)`);
  const reason = await (stop ??
    new Promise<string>((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    }));
  log(`${String(reason)}: stopping`);
  await watcher.close();
  tracker?.close();
  log('stopped');
  return 0;
}

// run directly (`node --import tsx src/main.ts`); the watcher process itself starts from watch-process.cjs
if (import.meta.url === `file://${process.argv[1]}`) {
  void main(process.argv).then((code) => (process.exitCode = code));
}
