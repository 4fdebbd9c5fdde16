import { MODEL_ALIASES, rollback } from '@kelly/registry';
import { resolve } from 'node:path';
import { z } from 'zod';
import type { CliContext } from '../context';
import type { RegisterCommand } from './register-command';
import { json, parseFlags, withTracker } from './registry-cli';

const Flags = z.object({
  model: z.string().trim().min(1, 'model id required'),
  alias: z.enum(MODEL_ALIASES, { message: `must be one of ${MODEL_ALIASES.join(', ')}` }),
  out: z.string().trim().min(1, 'must not be empty').optional(),
  to: z.coerce.number().int('must be a version number').positive('must be a version number').optional(),
  by: z.string().trim().min(1, 'must not be empty').optional(),
  reason: z.string().trim().min(1, 'must not be empty').optional(),
  json: z.boolean().optional(),
});

async function run(ctx: CliContext, raw: unknown): Promise<void> {
  const f = parseFlags(Flags, raw);
  await withTracker(
    ctx,
    async (t) => {
      const r = await rollback(t, {
        model: f.model,
        alias: f.alias,
        to: f.to,
        outDir: f.out ? resolve(f.out) : undefined,
        by: f.by,
        reason: f.reason,
      });
      if (f.json) return ctx.out(json(r));
      ctx.out(`${r.model} ${r.alias}: v${r.fromVersion} → v${r.toVersion} (rollback)`);
      if (r.published) ctx.out(`republished ${r.published.modelFile} (sha256 ${r.published.sha256})`);
    },
    { writes: true },
  );
}

/** `kelly rollback <model> --alias production [--to <version>] [--out <dir>] [--by <who>] [--reason …]`. */
export const registerRollback: RegisterCommand = (program, ctx) => {
  program
    .command('rollback')
    .description('point an alias back at the previous version (production: republish it byte for byte)')
    .argument('<model>', 'model id, e.g. melodytransformer')
    .requiredOption('--alias <alias>', `one of ${MODEL_ALIASES.join(', ')}`)
    .option('--to <version>', 'version number to go back to (default: the one before the current promotion)')
    .option(
      '--out <dir>',
      'models folder to republish into (default: where it was last published, else <KELLY_HOME>/models)',
    )
    .option('--by <who>', 'who rolls back (default: the OS user)')
    .option('--reason <text>', 'why')
    .option('--json', 'one JSON document')
    .action((model: string, opts: object) => run(ctx, { ...opts, model }));
};
