import { HostLabelSchema, type RemoteIngestOptions } from '@kelly/legacy';
import { UsageError, type CliContext } from '../context';

/**
 * The options of a remote pass or watcher (`kelly ingest|watch --tracking-uri`): the server, its token
 * (KELLY_TRACKING_TOKEN), this machine's label, and how long to retry an unreachable server.
 * @throws UsageError for a --host-label that is not a machine name
 */
export function remoteTarget(
  ctx: CliContext,
  uri: string,
  hostLabel: string | undefined,
  log: (line: string) => void,
  giveUpAfterMs: number,
): RemoteIngestOptions {
  const checked = hostLabel === undefined ? undefined : HostLabelSchema.safeParse(hostLabel);
  if (checked && !checked.success)
    throw new UsageError(
      `--host-label: ${checked.error.issues[0]?.message ?? 'invalid'}, got "${hostLabel}"`,
    );
  return { trackingUri: uri, token: ctx.env.KELLY_TRACKING_TOKEN, host: hostLabel, log, giveUpAfterMs };
}
