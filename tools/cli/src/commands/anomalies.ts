import { recheckAnomalies, RULES, toJsonSafe } from '@kelly/tracking';
import type { Command } from 'commander';
import { z } from 'zod';
import type { CliContext } from '../context';
import type { RegisterCommand } from './register-command';
import { parseFlags, toJsonText, withQueries } from './runs';

const AnomalyFlags = z.object({
  recheck: z.boolean().default(false),
  rule: z.enum(RULES, { error: `must be one of ${RULES.join(', ')}` }).optional(),
  experiment: z.string().min(1).optional(),
  json: z.boolean().default(false),
});

/** `kelly anomalies [--recheck] [--json]`: health findings grouped by rule. */
export const registerAnomalies: RegisterCommand = (program: Command, ctx: CliContext) => {
  program
    .command('anomalies')
    .description('run-health findings grouped by rule (zero_loss, nan_loss, too_short, ...)')
    .option('--recheck', 're-evaluate every ended run with the current rules first')
    .option('--rule <rule>', 'only this rule')
    .option('--experiment <name>', 'only runs of this experiment')
    .option(
      '--json',
      'print one JSON document { rechecked?, total, rules: [{ rule, severity, count, runs }] }',
    )
    .action(async (raw: unknown) => {
      const f = parseFlags(AnomalyFlags, raw);
      let rechecked: ReturnType<typeof recheckAnomalies> | undefined;
      if (f.recheck) {
        const t = ctx.openStore('kelly anomalies --recheck');
        try {
          rechecked = recheckAnomalies(t);
        } finally {
          t.close();
        }
      }
      const result = await withQueries(ctx, (q) =>
        q.listAnomalies({ rule: f.rule, experiment: f.experiment, limitPerRule: 100_000 }),
      );
      if (f.json) {
        return ctx.out(
          toJsonText({
            ...(rechecked ? { rechecked } : {}),
            total: result.total,
            rules: result.rules.map((g) => ({
              rule: g.rule,
              severity: g.severity,
              count: g.count,
              runs: g.runs.map((r) => ({
                id: r.runId,
                experiment: r.experiment,
                status: r.status,
                firstStep: r.firstStep,
                evidence: r.evidence,
              })),
            })),
          }),
        );
      }
      if (rechecked) ctx.out(`rechecked ${rechecked.checked} run(s)`);
      if (!result.rules.length) return ctx.out('no findings');
      for (const g of result.rules) {
        ctx.out(`${g.severity.toUpperCase()} ${g.rule}: ${g.count} run(s)`);
        for (const r of g.runs)
          ctx.out(
            `  ${r.runId}  ${r.experiment}  ${r.status}${r.firstStep !== null ? `  step ${r.firstStep}` : ''}  ${JSON.stringify(toJsonSafe(r.evidence))}`,
          );
      }
    });
};
