import { MODEL_ALIASES, previewGates, promote } from '@kelly/registry';
import { resolve } from 'node:path';
import { z } from 'zod';
import { UsageError, type CliContext } from '../context';
import type { RegisterCommand } from './register-command';
import {
  formatGateReport,
  json,
  loadRtneuralValidator,
  nativeRtneuralCheck,
  parseFlags,
  PromotionRefusedError,
  withTracker,
} from './registry-cli';

const Flags = z
  .object({
    runId: z.string().trim().min(1, 'run id required'),
    alias: z.enum(MODEL_ALIASES, { message: `must be one of ${MODEL_ALIASES.join(', ')}` }),
    note: z.string().trim().min(1, 'must not be empty').optional(),
    out: z.string().trim().min(1, 'must not be empty').optional(),
    force: z.boolean().optional(),
    reason: z.string().trim().min(1, 'must not be empty').optional(),
    by: z.string().trim().min(1, 'must not be empty').optional(),
    dryRun: z.boolean().optional(),
    rtneuralDir: z.string().trim().min(1, 'must not be empty').optional(),
    json: z.boolean().optional(),
  })
  .refine((f) => !f.force || f.reason, { message: '--force needs --reason "<why>"', path: ['reason'] })
  .refine((f) => !f.reason || f.force, { message: 'only meaningful with --force', path: ['reason'] });

async function run(ctx: CliContext, raw: unknown): Promise<void> {
  const f = parseFlags(Flags, raw);
  const validateModel = await loadRtneuralValidator();
  const checkNative = nativeRtneuralCheck(ctx, f.rtneuralDir ? resolve(f.rtneuralDir) : undefined);
  await withTracker(
    ctx,
    async (t) => {
      if (f.dryRun) {
        const report = await previewGates(t, f.runId, f.alias, { validateModel, checkNative });
        ctx.out(f.json ? json({ dryRun: true, gateReport: report }) : formatGateReport(report));
        return;
      }
      if (f.out && f.alias !== 'production')
        ctx.err(`note: --out is ignored for ${f.alias}: only production is published`);
      try {
        const r = await promote(t, {
          runId: f.runId,
          alias: f.alias,
          note: f.note,
          outDir: f.out ? resolve(f.out) : undefined,
          force: f.force,
          reason: f.reason,
          by: f.by,
          validateModel,
          checkNative,
        });
        if (f.json) return ctx.out(json(r));
        ctx.out(formatGateReport(r.gateReport));
        const from = r.fromVersion ? `v${r.fromVersion}` : 'nothing';
        ctx.out(`${r.forced ? 'FORCED: ' : ''}${r.model} ${r.alias}: ${from} → v${r.version}`);
        if (r.published)
          ctx.out(
            `published ${r.published.modelFile} (sha256 ${r.published.sha256})\n          ${r.published.registryFile}`,
          );
      } catch (e) {
        if (!(e instanceof PromotionRefusedError)) throw e;
        ctx.out(f.json ? json({ refused: true, gateReport: e.report }) : formatGateReport(e.report));
        throw e; // exit 1 with the one-line reason on stderr
      }
    },
    { writes: !f.dryRun },
  );
}

/**
 * `kelly promote <runId> --alias production [--note …] [--out <dir>] [--force --reason …] [--by <who>]
 * [--rtneural-dir <dir>] [--dry-run] [--json]`.
 */
export const registerPromote: RegisterCommand = (program, ctx) => {
  program
    .command('promote')
    .description(
      "promote a run's RTNeural export to an alias after checking the gates; production publishes it",
    )
    .argument('<runId>', 'the run whose rtneural artifact becomes a model version')
    .requiredOption('--alias <alias>', `one of ${MODEL_ALIASES.join(', ')}`)
    .option('--note <text>', 'note recorded with the promotion (and the registry entry)')
    .option('--out <dir>', 'models folder to publish into (default <KELLY_HOME>/models)')
    .option('--force', 'override failed gates (needs --reason); recorded as forced')
    .option('--reason <text>', 'why the gates are overridden')
    .option('--by <who>', 'who promotes (default: the OS user)')
    .option('--dry-run', 'only show the gates')
    .option(
      '--rtneural-dir <dir>',
      'RTNeural checkout for the native-rtneural gate (env KELLY_RTNEURAL_DIR; needs a C++17 compiler, g++)',
    )
    .option('--json', 'one JSON document')
    .action((runId: string, opts: object) => {
      if (typeof runId !== 'string') throw new UsageError('run id required');
      return run(ctx, { ...opts, runId });
    });
};
