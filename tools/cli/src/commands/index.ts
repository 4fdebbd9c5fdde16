import type { Command } from 'commander';
import type { CliContext } from '../context';
import { registerAnomalies } from './anomalies';
import { registerCompare } from './compare';
import { registerRuns } from './runs';
import { registerIngest } from './ingest';
import { registerWatch } from './watch';
import { registerModels } from './models';
import { registerPromote } from './promote';
import { registerRollback } from './rollback';

/** Each command module adds its subcommands to the program. Add a line per module. */
export type RegisterCommand = (program: Command, ctx: CliContext) => void;

export const commands: RegisterCommand[] = [
  registerRuns,
  registerCompare,
  registerAnomalies,
  registerIngest,
  registerWatch,
  registerModels,
  registerPromote,
  registerRollback,
];
