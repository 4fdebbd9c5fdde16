import type { Command } from 'commander';
import type { CliContext } from '../context';

/** Each command module adds its subcommands to the program (listed in ./index.ts). */
export type RegisterCommand = (program: Command, ctx: CliContext) => void;
