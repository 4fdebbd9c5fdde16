import {
  getRun,
  listRuns,
  metricSeries,
  openTracker,
  RULES,
  RUN_SOURCES,
  RUN_STATUSES,
  RunNotFoundError,
  rtneuralFigures,
  toJsonSafe,
  type RunItem,
  type Tracker,
} from '@kelly/tracking';
import { listIngestFiles } from '@kelly/legacy';
import type { Command } from 'commander';
import { z } from 'zod';
import { UsageError, type CliContext } from '../context';
import type { RegisterCommand } from './register-command';

/** Parses flags with zod; the first issue becomes a UsageError naming the flag. */
export function parseFlags<T extends z.ZodType>(schema: T, raw: unknown): z.infer<T> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const flag = String(issue.path[0] ?? '').replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
  throw new UsageError(`--${flag}: ${issue.message}`);
}

/** Opens the store for a read command (no signal handlers: the CLI owns no run). */
export function withTracker<T>(ctx: CliContext, fn: (tracker: Tracker) => T): T {
  const tracker = openTracker({
    home: ctx.paths().home,
    staleAfterS: ctx.env.KELLY_STALE_AFTER_S,
    handleSignals: false,
  });
  try {
    return fn(tracker);
  } catch (e) {
    if (e instanceof RunNotFoundError) throw new UsageError(e.message);
    // listRuns reports a bad cursor as a zod error on `cursor`
    const issue = e instanceof z.ZodError ? e.issues[0] : undefined;
    if (issue?.path[0] === 'cursor') throw new UsageError(`--cursor: ${issue.message}`);
    throw e;
  } finally {
    tracker.close();
  }
}

/** JSON text with NaN/±Infinity as the strings "NaN", "Infinity", "-Infinity". */
export const toJsonText = (doc: unknown) => JSON.stringify(toJsonSafe(doc), null, 2);

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A run as `--json` documents carry it (times as ISO 8601 strings). */
export function runJson(r: RunItem) {
  return {
    id: r.id,
    experiment: r.experiment,
    name: r.name,
    status: r.status,
    source: r.source,
    anomalies: r.anomalies,
    severity: r.severity,
    startedAt: iso(r.startedAt),
    endedAt: iso(r.endedAt),
    durationS: r.durationS,
    tags: r.tags,
    gitCommit: r.gitCommit,
    backend: r.backend,
    errorType: r.errorType,
    errorMessage: r.errorMessage,
    sourceMissing: r.sourceMissing,
  };
}

export const fmtNum = (v: number | null | undefined) =>
  v === null || v === undefined
    ? '-'
    : Number.isFinite(v)
      ? Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3)
        ? v.toExponential(3)
        : String(+v.toFixed(4))
      : String(v);
const fmtDuration = (s: number | null) =>
  s === null ? '-' : s < 120 ? `${s.toFixed(1)}s` : `${(s / 60).toFixed(1)}m`;

/** Left-aligned text table. */
export function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}

const ListFlags = z.object({
  experiment: z.string().min(1).optional(),
  status: z.enum(RUN_STATUSES, { error: `must be one of ${RUN_STATUSES.join(', ')}` }).optional(),
  anomaly: z
    .enum([...RULES, 'any', 'none'], { error: `must be a rule (${RULES.join(', ')}), any or none` })
    .optional(),
  source: z.enum(RUN_SOURCES, { error: 'must be live or legacy' }).optional(),
  tag: z.string().min(1).optional(),
  search: z.string().optional(),
  limit: z.coerce
    .number({ error: 'must be a number' })
    .int('must be an integer')
    .min(1)
    .max(1000)
    .default(100),
  cursor: z.string().min(1).optional(),
  json: z.boolean().default(false),
});

const ShowFlags = z.object({
  points: z.coerce
    .number({ error: 'must be a number' })
    .int('must be an integer')
    .min(10)
    .max(1_000_000)
    .default(1000),
  json: z.boolean().default(false),
});

/** `kelly runs list|show`. */
export const registerRuns: RegisterCommand = (program: Command, ctx: CliContext) => {
  const runs = program.command('runs').description('list and inspect tracked runs');
  runs
    .command('list')
    .description('list runs, newest first')
    .option('--experiment <name>', 'only this experiment (e.g. melodytransformer)')
    .option('--status <status>', `only this status (${RUN_STATUSES.join('|')})`)
    .option('--anomaly <rule>', 'only runs with this health finding (a rule name, any, none)')
    .option('--source <source>', 'live|legacy')
    .option('--tag <tag>', 'only runs with this tag')
    .option('--search <text>', 'free text: id, name, notes, tags, error, config key=value')
    .option('--limit <n>', 'at most this many runs (default 100)')
    .option('--cursor <cursor>', 'continue after a page: the nextCursor of the previous --json output')
    .option('--json', 'print one JSON document { runs, nextCursor }')
    .action((raw: unknown) => {
      const f = parseFlags(ListFlags, raw);
      const page = withTracker(ctx, (t) =>
        listRuns(t, {
          experiment: f.experiment,
          status: f.status,
          anomaly: f.anomaly,
          source: f.source,
          tag: f.tag,
          q: f.search,
          limit: f.limit,
          cursor: f.cursor,
        }),
      );
      if (f.json) return ctx.out(toJsonText({ runs: page.items.map(runJson), nextCursor: page.nextCursor }));
      if (!page.items.length) return ctx.out('no runs');
      ctx.out(
        table(
          ['ID', 'EXPERIMENT', 'STATUS', 'SOURCE', 'STARTED', 'DURATION', 'ANOMALIES'],
          page.items.map((r) => [
            r.id,
            r.experiment,
            r.status,
            r.source,
            iso(r.startedAt)!.slice(0, 19).replace('T', ' '),
            fmtDuration(r.durationS),
            r.anomalies.join(',') || '-',
          ]),
        ),
      );
      if (page.nextCursor) ctx.out(`… more runs; raise --limit or narrow the filters`);
    });
  runs
    .command('show')
    .description('one run: config, metric summaries and series, artifacts, health findings')
    .argument('<id>', 'run id')
    .option('--points <n>', 'at most this many points per metric series in --json (default 1000)')
    .option('--json', 'print one JSON document')
    .action((id: string, raw: unknown) => {
      const f = parseFlags(ShowFlags, raw);
      withTracker(ctx, (t) => {
        const d = getRun(t, id);
        // a legacy run: how its file was read (import notes) and every file that claims it (duplicates, conflicts)
        const importNotes = Array.isArray(d.summary?.import_notes)
          ? (d.summary.import_notes as string[])
          : [];
        const files =
          d.source === 'legacy'
            ? listIngestFiles(t, { runId: id, limit: 50 }).items.map((x) => ({
                file: x.path,
                outcome: x.outcome,
                reason: x.reason,
              }))
            : [];
        if (f.json) {
          const series = metricSeries(t, { runId: id, maxPoints: f.points });
          const metrics = Object.fromEntries(
            d.metrics.map((m) => {
              const s = series.find((x) => x.key === m.key)!;
              return [
                m.key,
                {
                  ...m,
                  downsampled: s.downsampled,
                  points: s.points.map((p) => ({
                    step: p.step,
                    epoch: p.epoch,
                    value: p.value,
                    wallTime: iso(p.wallTime),
                  })),
                },
              ];
            }),
          );
          const anomalies = d.anomalyDetails.map((a) => ({
            rule: a.rule,
            severity: a.severity,
            firstStep: a.firstStep,
            evidence: a.evidence,
          }));
          return ctx.out(
            toJsonText({
              ...runJson(d),
              config: d.config,
              system: d.system,
              summary: d.summary,
              notes: d.notes,
              errorStack: d.errorStack,
              metrics,
              artifacts: d.artifacts,
              rtneural: rtneuralFigures(d.metrics),
              findings: anomalies,
              ...(d.source === 'legacy' ? { importNotes, files } : {}),
            }),
          );
        }
        ctx.out(`${d.id}  ${d.experiment}${d.name ? ` (${d.name})` : ''}  ${d.status}  ${d.source}`);
        ctx.out(
          `started ${iso(d.startedAt)}  duration ${fmtDuration(d.durationS)}${d.gitCommit ? `  commit ${d.gitCommit.slice(0, 10)}` : ''}${d.backend ? `  backend ${d.backend}` : ''}`,
        );
        if (d.tags.length) ctx.out(`tags: ${d.tags.join(', ')}`);
        if (d.errorMessage) ctx.out(`error: ${d.errorType ?? 'Error'}: ${d.errorMessage}`);
        if (d.source === 'legacy') {
          ctx.out('\nimport notes:');
          ctx.out(
            importNotes.length
              ? importNotes.map((n) => `  ${n}`).join('\n')
              : '  none (a current TrainRun log)',
          );
          ctx.out('\nfiles:');
          ctx.out(
            files.map((x) => `  ${x.outcome}  ${x.file}${x.reason ? `: ${x.reason}` : ''}`).join('\n') ||
              '  (none recorded)',
          );
        }
        ctx.out('\nconfig:');
        ctx.out(
          d.params.length
            ? d.params.map((p) => `  ${p.key} = ${JSON.stringify(p.value)}`).join('\n')
            : '  (empty)',
        );
        ctx.out('\nmetrics:');
        ctx.out(
          d.metrics.length
            ? table(
                ['KEY', 'POINTS', 'LAST', 'AT STEP', 'MIN', 'AT STEP', 'NON-FINITE'],
                d.metrics.map((m) => [
                  m.key,
                  String(m.count),
                  fmtNum(m.last),
                  String(m.lastStep),
                  fmtNum(m.min),
                  m.minStep === null ? '-' : String(m.minStep),
                  String(m.nonFinite),
                ]),
              )
            : '  (none)',
        );
        const rtn = rtneuralFigures(d.metrics);
        if (rtn) {
          ctx.out(`\nRTNeural (vs tfjs predict; ${rtn.hopMs} ms hop):`);
          const cell = (v: number | null | undefined) => (v === null || v === undefined ? '-' : fmtNum(v));
          const pct = (v: number | null | undefined) =>
            v === null || v === undefined ? '-' : `${Number((v * 100).toPrecision(2))} %`;
          ctx.out(
            table(
              ['', 'MAX |ERR|', 'MEDIAN MS/FRAME', 'P99 MS/FRAME', 'SHARE OF HOP'],
              [
                [
                  'native (C++)',
                  cell(rtn.native?.maxAbsErr),
                  cell(rtn.native?.medianMs),
                  cell(rtn.native?.p99Ms),
                  pct(rtn.native?.hopShare),
                ],
                [
                  'TypeScript',
                  cell(rtn.typescript?.maxAbsErr),
                  cell(rtn.typescript?.medianMs),
                  '-',
                  pct(rtn.typescript?.hopShare),
                ],
              ],
            ),
          );
        }
        ctx.out('\nartifacts:');
        ctx.out(
          d.artifacts.length
            ? d.artifacts
                .map((a) => `  ${a.kind}  ${a.path}  ${a.bytes ?? '?'} B  ${a.sha256?.slice(0, 12) ?? ''}`)
                .join('\n')
            : '  (none)',
        );
        ctx.out('\nhealth:');
        ctx.out(
          d.anomalyDetails.length
            ? d.anomalyDetails
                .map(
                  (a) =>
                    `  ${a.severity.toUpperCase()} ${a.rule}${a.firstStep !== null ? ` at step ${a.firstStep}` : ''}: ${JSON.stringify(toJsonSafe(a.evidence))}`,
                )
                .join('\n')
            : '  no findings',
        );
      });
    });
};
