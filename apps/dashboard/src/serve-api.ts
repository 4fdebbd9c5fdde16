/**
 * `nx run dashboard:serve-api [-- --host H --port P]`: the tracking API (`/api/tracking/`, with the legacy-files
 * route of remote watchers) headless, without building or serving the dashboard's pages, on
 * <KELLY_HOME>/tracking.db. Default 127.0.0.1:4318; a host beyond loopback needs a token first
 * (`kelly token create --scope write`).
 */
import { legacyFilesRoute } from '@kelly/legacy';
import { registryModelHistory } from '@kelly/registry';
import { openTracker, serveTrackingApi } from '@kelly/tracking';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { readEnv } from './env';

const flagsSchema = z.object({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.coerce.number().int().min(0).max(65535).default(4318),
});

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv.filter((a) => a !== '--'),
    options: { host: { type: 'string' }, port: { type: 'string' } },
    strict: true,
  });
  const flags = flagsSchema.safeParse(values);
  if (!flags.success) {
    const issue = flags.error.issues[0];
    console.error(`serve-api: --${String(issue?.path[0])}: ${issue?.message}`);
    return 2;
  }
  const env = readEnv();
  const tracker = openTracker({
    envHome: env.KELLY_HOME,
    envDatabaseUrl: env.KELLY_DATABASE_URL,
    staleAfterS: env.KELLY_STALE_AFTER_S,
    handleSignals: false,
  });
  let server;
  try {
    const routes = [legacyFilesRoute(tracker, { onDocument: registryModelHistory(tracker) })];
    server = await serveTrackingApi({ tracker, host: flags.data.host, port: flags.data.port, routes });
  } catch (e) {
    console.error(`serve-api: ${(e as Error).message}`);
    tracker.close();
    return 2;
  }
  console.error(`serve-api: ${server.url}/api/tracking (store ${tracker.location})`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await server.close();
  tracker.close();
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`)
  void main(process.argv.slice(2)).then((code) => process.exit(code));
