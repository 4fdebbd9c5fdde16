import { AXES, compareRuns } from '@kelly/tracking';
import type { Command } from 'commander';
import { z } from 'zod';
import { UsageError, type CliContext } from '../context';
import type { RegisterCommand } from './register-command';
import { fmtNum, parseFlags, runJson, table, toJsonText, withTracker } from './runs';

const CompareFlags = z.object({
  points: z.coerce
    .number({ error: 'must be a number' })
    .int('must be an integer')
    .min(10)
    .max(100_000)
    .default(1000),
  axis: z.enum(AXES, { error: `must be one of ${AXES.join(', ')}` }).default('step'),
  json: z.boolean().default(false),
});

const show = (v: unknown) =>
  v === undefined ? '(absent)' : typeof v === 'number' ? fmtNum(v) : JSON.stringify(v);

/** `kelly compare <id> <id>...`: config diff, metric summaries side by side, downsampled series in --json. */
export const registerCompare: RegisterCommand = (program: Command, ctx: CliContext) => {
  program
    .command('compare')
    .description('compare runs: config differences and metrics side by side')
    .argument('<ids...>', 'two or more run ids')
    .option('--points <n>', 'at most this many points per series in --json (default 1000)')
    .option('--axis <axis>', 'x axis of the series: step|epoch|time (default step)')
    .option('--json', 'print one JSON document { runs, config, losses, metrics, series }')
    .action((ids: string[], raw: unknown) => {
      const f = parseFlags(CompareFlags, raw);
      if (ids.length < 2) throw new UsageError('compare needs at least two run ids');
      const c = withTracker(ctx, (t) => compareRuns(t, { ids, maxPoints: f.points, axis: f.axis }));
      if (f.json) {
        return ctx.out(
          toJsonText({
            runs: c.runs.map(runJson),
            config: c.config,
            losses: c.losses,
            metrics: Object.fromEntries(c.runs.map((r) => [r.id, r.metrics])),
            series: c.series.map((s) => ({
              runId: s.runId,
              key: s.key,
              axis: s.axis,
              total: s.total,
              downsampled: s.downsampled,
              points: s.points.map((p) => ({ x: p.x, step: p.step, epoch: p.epoch, value: p.value })),
            })),
          }),
        );
      }
      const runIds = c.runs.map((r) => r.id);
      ctx.out(
        table(
          ['RUN', 'EXPERIMENT', 'STATUS', 'SOURCE', 'ANOMALIES'],
          c.runs.map((r) => [r.id, r.experiment, r.status, r.source, r.anomalies.join(',') || '-']),
        ),
      );
      ctx.out(
        "\nconfig differences (legacy settings under the trainer's keys; each run's own key in brackets):",
      );
      const cell = (d: { values: Record<string, unknown>; rawKeys?: Record<string, string> }, id: string) => {
        const raw = d.rawKeys?.[id];
        return raw && raw !== (d as { key?: string }).key
          ? `${show(d.values[id])} [${raw}]`
          : show(d.values[id]);
      };
      const rows = [
        ...c.config.changed.map((d) => [
          d.label ? `${d.key} (${d.label})` : d.key,
          ...runIds.map((id) => cell(d, id)),
        ]),
        ...c.config.onlyIn.map((d) => [
          d.label ? `${d.key} (${d.label})` : d.key,
          ...runIds.map((id) => cell(d, id)),
        ]),
      ];
      ctx.out(rows.length ? table(['KEY', ...runIds], rows) : '  none');
      const sameMapped = c.config.same.filter((d) => d.label);
      ctx.out(
        `(${c.config.same.length} keys equal${sameMapped.length ? `, among them ${sameMapped.map((d) => `${d.label} ${show(d.value)}`).join(', ')}` : ''})`,
      );
      ctx.out('\nlosses:');
      ctx.out(
        table(
          ['', ...runIds],
          c.losses.map((l) => [
            l.label,
            ...runIds.map((id) => (l.values[id] === null ? '-' : fmtNum(l.values[id]))),
          ]),
        ),
      );
      const keys = [...new Set(c.runs.flatMap((r) => r.metrics.map((m) => m.key)))].sort();
      ctx.out('\nmetrics (last / min @ step):');
      ctx.out(
        table(
          ['KEY', ...runIds],
          keys.map((k) => [
            k,
            ...c.runs.map((r) => {
              const m = r.metrics.find((x) => x.key === k);
              return m ? `${fmtNum(m.last)} / ${fmtNum(m.min)} @ ${m.minStep ?? '-'}` : '-';
            }),
          ]),
        ),
      );
    });
};
