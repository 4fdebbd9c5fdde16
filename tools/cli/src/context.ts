import { kellyPaths, openTracker, type KellyPaths, type Tracker } from '@kelly/tracking';
import type { Command } from 'commander';
import type { CliEnv } from './env';

/** What every command gets: resolved paths and a way to write output. No globals. */
export interface CliContext {
  env: CliEnv;
  /** Paths resolved from `--home`, then KELLY_HOME, then `./.kelly`; call after options are parsed. */
  paths(): KellyPaths;
  /** The server of `--tracking-uri`, else KELLY_TRACKING_URI, else undefined (the local store). */
  trackingUri(): string | undefined;
  /**
   * Opens the local store (no signal handlers: the CLI owns no run).
   * @throws UsageError under `--tracking-uri`: `what` writes to the store, so it runs where the store is.
   */
  openStore(what: string): Tracker;
  out(text: string): void;
  err(text: string): void;
}

export function createContext(
  program: Command,
  env: CliEnv,
  io: Pick<CliContext, 'out' | 'err'>,
): CliContext {
  const opts = () => program.opts<{ home?: string; trackingUri?: string }>();
  const ctx: CliContext = {
    env,
    paths: () => kellyPaths(opts().home, env.KELLY_HOME),
    trackingUri: () => {
      const uri = opts().trackingUri ?? env.KELLY_TRACKING_URI;
      if (uri !== undefined && !/^https?:\/\/[^/\s]+\/?$/.test(uri))
        throw new UsageError(`--tracking-uri: must be http://host:port, got "${uri}"`);
      return uri;
    },
    openStore: (what) => {
      const uri = ctx.trackingUri();
      if (uri)
        throw new UsageError(
          `${what} needs the store itself: run it on the server machine, without --tracking-uri / KELLY_TRACKING_URI (${uri} serves run logging, the runs, compare and anomalies reads, and ingest and watch)`,
        );
      return openTracker({
        home: ctx.paths().home,
        envDatabaseUrl: env.KELLY_DATABASE_URL,
        staleAfterS: env.KELLY_STALE_AFTER_S,
        handleSignals: false,
      });
    },
    ...io,
  };
  return ctx;
}

/** A user error: printed as one line on stderr, exit code 2. */
export class UsageError extends Error {}
