import type { Command } from 'commander';
import type { CliContext } from '../context';

/** Each command module adds its subcommands to the program. Add a line per module. */
export type RegisterCommand = (program: Command, ctx: CliContext) => void;

export const commands: RegisterCommand[] = [];
