import type { RemoteIngestOptions } from '@kelly/legacy';
import { UsageError, type CliContext } from '../context';

const HOST_LABEL = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/;

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
  if (hostLabel !== undefined && !HOST_LABEL.test(hostLabel))
    throw new UsageError(`--host-label: must be a machine name (letters, digits, ._-), got "${hostLabel}"`);
  return { trackingUri: uri, token: ctx.env.KELLY_TRACKING_TOKEN, host: hostLabel, log, giveUpAfterMs };
}
