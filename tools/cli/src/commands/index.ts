import { registerAnomalies } from './anomalies';
import { registerCompare } from './compare';
import { registerRuns } from './runs';
import { registerIngest } from './ingest';
import { registerWatch } from './watch';
import { registerModels } from './models';
import { registerPromote } from './promote';
import { registerRollback } from './rollback';
import { registerServer } from './server';
import { registerToken } from './token';
import { registerMigrate } from './migrate';

import type { RegisterCommand } from './register-command';

export type { RegisterCommand };

/** Every command module, in help order. Add a line per module. */
export const commands: RegisterCommand[] = [
  registerRuns,
  registerCompare,
  registerAnomalies,
  registerIngest,
  registerWatch,
  registerModels,
  registerPromote,
  registerRollback,
  registerServer,
  registerToken,
  registerMigrate,
];
