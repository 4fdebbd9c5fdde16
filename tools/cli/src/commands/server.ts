import { legacyFilesRoute } from '@kelly/legacy';
import { registryModelHistory } from '@kelly/registry';
import { serveTrackingApi } from '@kelly/tracking';
import type { Command } from 'commander';
import { z } from 'zod';
import { UsageError, type CliContext } from '../context';
import { parseFlags } from './runs';
import type { RegisterCommand } from './register-command';

const ServerFlags = z.object({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.coerce.number().int().min(0).max(65535).default(4318),
});

/**
 * `kelly server [--host H] [--port P]`: the headless tracking server on the store of `--home` (the
 * `/api/tracking/` API, no dashboard pages) until SIGINT/SIGTERM. Beyond loopback it needs a token first.
 */
export const registerServer: RegisterCommand = (program: Command, ctx: CliContext) => {
  program
    .command('server')
    .description(
      'serve the tracking API (/api/tracking/) on this store until Ctrl-C; remote clients log to it',
    )
    .option(
      '--host <host>',
      'listen address (default 127.0.0.1; other hosts need a token: kelly token create)',
    )
    .option('--port <port>', 'port (default 4318; 0 picks a free one)')
    .action(async (raw: unknown) => {
      const f = parseFlags(ServerFlags, raw);
      const tracker = ctx.openStore('kelly server');
      let server;
      try {
        // legacy logs sent by remote watchers (`kelly watch --tracking-uri`) are imported here, old registry
        // files among them becoming model history, as a local `kelly watch` does
        const routes = [legacyFilesRoute(tracker, { onDocument: registryModelHistory(tracker) })];
        server = await serveTrackingApi({ tracker, host: f.host, port: f.port, routes });
      } catch (e) {
        tracker.close();
        throw new UsageError((e as Error).message);
      }
      ctx.out(
        `kelly server: ${server.url} (store ${tracker.location}, artifacts ${tracker.paths.artifacts})`,
      );
      ctx.out(`clients: KELLY_TRACKING_URI=${server.url}`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await server.close();
      tracker.close();
    });
};
