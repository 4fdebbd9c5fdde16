import { Command, CommanderError } from 'commander';
import { commands } from './commands/index';
import { createContext, UsageError, type CliContext } from './context';
import { readEnv, type CliEnv } from './env';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

const stdio: CliIo = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : t + '\n'),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : t + '\n'),
};

/** Builds the `kelly` program. Exposed for tests, which pass their own io. */
export function buildProgram(
  io: CliIo = stdio,
  env: CliEnv = readEnv(),
): { program: Command; ctx: CliContext } {
  const program = new Command('kelly')
    .description('Kelly ML: track, compare, check and promote small audio models for RTNeural')
    .option('--home <dir>', 'Kelly home: tracking.db, artifacts/, models/ (env KELLY_HOME, default ./.kelly)')
    .option(
      '--tracking-uri <url>',
      'use a Kelly server instead of the local store: runs/compare/anomalies read it, ingest/watch send legacy logs to it (env KELLY_TRACKING_URI; token: KELLY_TRACKING_TOKEN)',
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .showHelpAfterError(false);
  const ctx = createContext(program, env, io);
  for (const register of commands) register(program, ctx);
  return { program, ctx };
}

/**
 * Runs the CLI; returns the exit code (0 ok, 1 failure, 2 usage error or unknown id).
 * @param env the environment (default: process.env, read by env.ts); tests pass their own.
 */
export async function main(argv: string[], io: CliIo = stdio, env?: CliEnv): Promise<number> {
  try {
    const { program } = buildProgram(io, env ?? readEnv());
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version exit with code 0; every parse error is a usage error
      if (e.exitCode === 0) return 0;
      return 2;
    }
    if (e instanceof UsageError) {
      io.err(`kelly: ${e.message}`);
      return 2;
    }
    io.err(`kelly: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}
