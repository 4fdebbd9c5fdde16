import { kellyPaths, type KellyPaths } from '@kelly/tracking';
import type { Command } from 'commander';
import type { CliEnv } from './env';

/** What every command gets: resolved paths and a way to write output. No globals. */
export interface CliContext {
  env: CliEnv;
  /** Paths resolved from `--home`, then KELLY_HOME, then `./.kelly`; call after options are parsed. */
  paths(): KellyPaths;
  out(text: string): void;
  err(text: string): void;
}

export function createContext(
  program: Command,
  env: CliEnv,
  io: Pick<CliContext, 'out' | 'err'>,
): CliContext {
  return {
    env,
    paths: () => kellyPaths(program.opts<{ home?: string }>().home, env.KELLY_HOME),
    ...io,
  };
}

/** A user error: printed as one line on stderr, exit code 2. */
export class UsageError extends Error {}
