import type { SqlClient } from '../db/sql-client';
import { flatConfigMap } from '../config';
import { decodeJson, encodeJson } from '../db/json-column';
import type { JsonObject, runs } from '../db/schema';
import type { SqlRow } from '../db/sql-row';
import { decodeValue } from '../metric-value';
import { resolveHealth, severityOf, type HealthOptions } from './health-options';
import { isLossKey } from './loss-keys';
import type { Finding, RunFacts, Series } from './run-facts';
import { chanceLevel, diverging, duplicate, overfitting, plateau } from './trend-rules';
import { tooShort } from './too-short';
import { failedWithError, infLoss, nanLoss, noMetrics, zeroLoss } from './value-rules';

export type { HealthOptions } from './health-options';

type RunRow = Pick<
  SqlRow<typeof runs>,
  | 'id'
  | 'status'
  | 'source'
  | 'started_at'
  | 'duration_s'
  | 'error_type'
  | 'error_message'
  | 'summary'
  | 'content_hash'
  | 'config'
>;

/** The health statements, prepared once per connection (preparing costs more than running them). */
function healthStatements(sqlite: SqlClient): HealthStatements {
  let st = STATEMENTS.get(sqlite);
  if (!st) {
    st = prepareHealth(sqlite);
    STATEMENTS.set(sqlite, st);
  }
  return st;
}
type HealthStatements = ReturnType<typeof prepareHealth>;
const STATEMENTS = new WeakMap<SqlClient, HealthStatements>();

function prepareHealth(sqlite: SqlClient) {
  return {
    run: sqlite.prepare(
      `SELECT id, status, source, started_at, duration_s, error_type, error_message, summary, content_hash, config FROM runs WHERE id = ?`,
    ),
    keys: sqlite.prepare(`SELECT key, count(*) AS n FROM metrics WHERE run_id = ? GROUP BY key`),
    points: sqlite
      .prepare(`SELECT step, epoch, value, flag FROM metrics WHERE run_id = ? AND key = ? ORDER BY step, id`)
      .raw(),
    earlierSameHash: sqlite.prepare(
      `SELECT id FROM runs WHERE content_hash = ? AND id != ? AND (started_at < ? OR (started_at = ? AND id < ?)) ORDER BY started_at, id`,
    ),
    deleteFindings: sqlite.prepare(`DELETE FROM anomalies WHERE run_id = ?`),
    insertFinding: sqlite.prepare(
      `INSERT INTO anomalies (run_id, rule, severity, first_step, evidence, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
    ),
  };
}

/**
 * Ids of the runs with this content hash that came first (earlier start, then smaller id): the `duplicate`
 * rule's evidence.
 */
export function earlierRunsWithHash(
  sqlite: SqlClient,
  run: { id: string; contentHash: string | null; startedAt: number },
): string[] {
  if (!run.contentHash) return [];
  const rows = healthStatements(sqlite).earlierSameHash.all(
    run.contentHash,
    run.id,
    run.startedAt,
    run.startedAt,
    run.id,
  ) as Pick<RunRow, 'id'>[];
  return rows.map((r) => r.id);
}

/** Loads what the rules need for one run, at full resolution (loss keys only). */
export function loadRunFacts(sqlite: SqlClient, runId: string): RunFacts | undefined {
  const st = healthStatements(sqlite);
  const run = st.run.get(runId) as RunRow | undefined;
  if (!run) return undefined;
  const flatConfig = flatConfigMap(decodeJson(run.config) as JsonObject);
  const keys = st.keys.all(runId) as { key: string; n: number }[];
  const metricCount = keys.reduce((a, k) => a + k.n, 0);
  const pointsOf = st.points;
  const losses: Series[] = [];
  for (const { key } of keys.filter((k) => isLossKey(k.key))) {
    const s: Series = { key, steps: [], epochs: [], values: [] };
    for (const row of pointsOf.all(runId, key) as [number, number | null, number | null, number][]) {
      s.steps.push(row[0]);
      s.epochs.push(row[1]);
      s.values.push(decodeValue(row[2], row[3]));
    }
    losses.push(s);
  }
  const duplicateOf = earlierRunsWithHash(sqlite, {
    id: run.id,
    contentHash: run.content_hash,
    startedAt: run.started_at,
  });
  return {
    id: run.id,
    status: run.status,
    source: run.source,
    durationS: run.duration_s,
    errorType: run.error_type,
    errorMessage: run.error_message,
    flatConfig,
    summary: run.summary ? (decodeJson(run.summary) as JsonObject) : null,
    metricCount,
    losses,
    duplicateOf,
  };
}

/** Evaluates every rule on the facts (pure). */
export function evaluateRules(f: RunFacts, options: HealthOptions = {}): Finding[] {
  const h = resolveHealth(options);
  const found = [
    zeroLoss(f),
    nanLoss(f),
    infLoss(f),
    tooShort(f),
    failedWithError(f),
    noMetrics(f),
    chanceLevel(f, h),
    diverging(f, h),
    plateau(f, h),
    overfitting(f, h),
    duplicate(f),
  ];
  return found.filter((x): x is Finding => x !== null);
}

/**
 * Re-evaluates one run and replaces its stored anomalies. RUNNING runs get no findings.
 * Call inside a write transaction.
 */
export function checkRunHealth(sqlite: SqlClient, runId: string, options: HealthOptions = {}): Finding[] {
  const facts = loadRunFacts(sqlite, runId);
  const findings = facts && facts.status !== 'RUNNING' ? evaluateRules(facts, options) : [];
  writeFindings(sqlite, runId, findings);
  return findings;
}

/** Replaces the stored findings of a run. Call inside a write transaction. */
export function writeFindings(sqlite: SqlClient, runId: string, findings: Finding[]): void {
  const st = healthStatements(sqlite);
  st.deleteFindings.run(runId);
  const insert = st.insertFinding;
  const now = Date.now();
  for (const x of findings)
    insert.run(runId, x.rule, severityOf(x.rule), x.firstStep, encodeJson(x.evidence), now);
}
