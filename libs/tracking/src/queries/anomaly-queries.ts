import { z } from 'zod';
import { decodeJson } from '../db/json-column';
import type { anomalies, JsonObject, RunStatus, runs } from '../db/schema';
import type { SqlRow } from '../db/sql-row';
import { checkRunHealth } from '../health/check-run';
import { RULES, severityOf, type HealthOptions, type RuleName } from '../health/health-options';
import { withBusyRetry } from '../sqlite-retry';
import { seenStatusSql, staleView } from '../stale-runs';
import type { Tracker } from '../tracker';
import type { ReadOptions } from './run-item';

export const ListAnomaliesInputSchema = z.object({
  rule: z.string().min(1).optional(),
  experiment: z.string().min(1).optional(),
  /** Runs listed per rule (counts are always complete). Default 100. */
  limitPerRule: z.number().int().min(0).max(100_000).default(100),
});
export type ListAnomaliesInput = z.input<typeof ListAnomaliesInputSchema>;

export interface AnomalyGroup {
  rule: string;
  severity: 'error' | 'warning';
  /** Runs with this finding. */
  count: number;
  runs: {
    runId: string;
    experiment: string;
    status: RunStatus;
    firstStep: number | null;
    evidence: JsonObject;
  }[];
}

/**
 * Findings grouped by rule, in rule order (errors first), with counts. Writes nothing: a run's status is shown
 * as a read sees it (a stale RUNNING run is CRASHED; its findings appear once a sweep has stored the crash).
 */
export function listAnomalies(
  tracker: Tracker,
  input: ListAnomaliesInput = {},
  read: ReadOptions = {},
): { total: number; rules: AnomalyGroup[] } {
  const o = ListAnomaliesInputSchema.parse(input);
  const view = staleView(tracker.settings.staleAfterS, read.now);
  const where = ['1 = 1'];
  const params: string[] = [];
  if (o.rule) {
    where.push('a.rule = ?');
    params.push(o.rule);
  }
  if (o.experiment) {
    where.push('r.experiment = ?');
    params.push(o.experiment);
  }
  const rows = tracker.sql
    .prepare(
      `SELECT a.rule, a.severity, a.run_id, a.first_step, a.evidence, r.experiment, ${seenStatusSql('r', view)} AS status,
         row_number() OVER (PARTITION BY a.rule ORDER BY r.started_at DESC, r.id) AS rn,
         count(*) OVER (PARTITION BY a.rule) AS n
       FROM anomalies a JOIN runs r ON r.id = a.run_id WHERE ${where.join(' AND ')}`,
    )
    .all(...params) as (Pick<
    SqlRow<typeof anomalies>,
    'rule' | 'severity' | 'run_id' | 'first_step' | 'evidence'
  > &
    Pick<SqlRow<typeof runs>, 'experiment' | 'status'> & { rn: number; n: number })[];
  const groups = new Map<string, AnomalyGroup>();
  for (const r of rows) {
    const g = groups.get(r.rule) ?? { rule: r.rule, severity: r.severity, count: r.n, runs: [] };
    groups.set(r.rule, g);
    if (r.rn <= o.limitPerRule)
      g.runs.push({
        runId: r.run_id,
        experiment: r.experiment,
        status: r.status,
        firstStep: r.first_step,
        evidence: decodeJson(r.evidence) as JsonObject,
      });
  }
  const order = (rule: string) =>
    RULES.includes(rule as RuleName) ? RULES.indexOf(rule as RuleName) : RULES.length;
  const rules = [...groups.values()].sort(
    (a, b) => order(a.rule) - order(b.rule) || a.rule.localeCompare(b.rule),
  );
  for (const g of rules) g.runs.sort((a, b) => a.runId.localeCompare(b.runId));
  return { total: rules.reduce((a, g) => a + g.count, 0), rules };
}

/**
 * Re-evaluates the health rules on every ended run (or the given ones), replacing stored findings.
 * `health` overrides the tracker's thresholds for this pass.
 */
export function recheckAnomalies(
  tracker: Tracker,
  options: { runIds?: string[]; health?: HealthOptions } = {},
): { checked: number; byRule: Record<string, number> } {
  tracker.sweepStale();
  const ids =
    options.runIds ??
    (
      tracker.sql.prepare(`SELECT id FROM runs WHERE status != 'RUNNING' ORDER BY started_at`).all() as {
        id: string;
      }[]
    ).map((r) => r.id);
  const health = { ...tracker.settings.health, ...options.health };
  const byRule: Record<string, number> = {};
  for (let i = 0; i < ids.length; i += 200) {
    const chunk = ids.slice(i, i + 200);
    withBusyRetry(() =>
      tracker.sql
        .transaction(() => {
          for (const id of chunk)
            for (const f of checkRunHealth(tracker.sql, id, health))
              byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
        })
        .immediate(),
    );
  }
  return { checked: ids.length, byRule };
}

export { severityOf };
