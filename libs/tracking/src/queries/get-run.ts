import { flattenConfig } from '../config';
import { decodeJson } from '../db/json-column';
import type { anomalies, artifacts as artifactsTable, JsonObject, runs } from '../db/schema';
import { bySql } from '../db/sql-client';
import type { SqlRow } from '../db/sql-row';
import { ROLLUP_LEVELS } from '../metric-rollup';
import { decodeValue } from '../metric-value';
import { asSeen, staleView } from '../stale-runs';
import type { Tracker } from '../tracker';
import { anomaliesOf } from './list-runs';
import { metricKeys } from './metric-series';
import {
  parseJsonObject,
  RUN_ITEM_COLUMNS,
  RunNotFoundError,
  toRunItem,
  type ReadOptions,
  type RunItemRow,
} from './run-item';
import type { MetricSummary, RunDetail } from './run-detail';

export type { MetricSummary, AnomalyRecord, ArtifactItem, RunDetail } from './run-detail';

/** Summaries of every metric key of a run: count and min from rollups, last from the index. */
export function metricSummaries(tracker: Tracker, runId: string): MetricSummary[] {
  const db = tracker.sql;
  const top = ROLLUP_LEVELS[ROLLUP_LEVELS.length - 1]!.level;
  const mins = new Map(
    (
      db
        .prepare(
          bySql(db, {
            // SQLite takes min_step from the row holding min(min_value)
            sqlite: `SELECT key, min(min_value) AS min, min_step, sum(count) AS n FROM metric_rollups
                     WHERE run_id = ? AND level = ? GROUP BY key`,
            postgres: `SELECT DISTINCT ON (key) key, min_value AS min, min_step, sum(count) OVER (PARTITION BY key) AS n
                       FROM metric_rollups WHERE run_id = ? AND level = ? ORDER BY key, min_value NULLS LAST, bucket`,
          }),
        )
        .all(runId, top) as { key: string; min: number | null; min_step: number | null; n: number }[]
    ).map((r) => [r.key, r]),
  );
  const nonFinite = new Map(
    (
      db
        .prepare(
          `SELECT key, count(*) AS n FROM metrics WHERE run_id = ? AND (flag != 0 OR value = 0) AND flag != 0 GROUP BY key`,
        )
        .all(runId) as { key: string; n: number }[]
    ).map((r) => [r.key, r.n]),
  );
  const lastOf = db.prepare(
    `SELECT step, value, flag FROM metrics WHERE run_id = ? AND key = ? ORDER BY step DESC, id DESC LIMIT 1`,
  );
  const countOf = db.prepare(
    bySql(db, {
      // SQLite takes step from the row holding min(value)
      sqlite: `SELECT count(*) AS n, min(value) AS min, step FROM metrics WHERE run_id = ? AND key = ?`,
      postgres: `SELECT count(*) OVER () AS n, value AS min, step FROM metrics WHERE run_id = ? AND key = ?
                 ORDER BY value NULLS LAST, id LIMIT 1`,
    }),
  );
  return metricKeys(tracker, runId).map((key) => {
    const last = lastOf.get(runId, key) as { step: number; value: number | null; flag: number };
    const m =
      mins.get(key) ??
      (() => {
        const r = (countOf.get(runId, key) ?? { n: 0, min: null, step: null }) as {
          n: number;
          min: number | null;
          step: number | null;
        };
        return { min: r.min, min_step: r.min === null ? null : r.step, n: r.n };
      })();
    return {
      key,
      count: m.n,
      last: decodeValue(last.value, last.flag),
      lastStep: last.step,
      min: m.min,
      minStep: m.min === null ? null : m.min_step,
      nonFinite: nonFinite.get(key) ?? 0,
    };
  });
}

/**
 * One run in full. Writes nothing: a RUNNING run whose heartbeat is older than the stale window is shown as
 * CRASHED (as a sweep would store it). @throws RunNotFoundError
 */
export function getRun(tracker: Tracker, id: string, read: ReadOptions = {}): RunDetail {
  const db = tracker.sql;
  const row = db
    .prepare(
      `SELECT ${RUN_ITEM_COLUMNS}, r.config, r.system, r.summary, r.content_hash, r.host, r.pid, r.error_stack FROM runs r WHERE r.id = ?`,
    )
    .get(id) as
    | (RunItemRow &
        Pick<
          SqlRow<typeof runs>,
          'config' | 'system' | 'summary' | 'content_hash' | 'host' | 'pid' | 'error_stack'
        >)
    | undefined;
  if (!row) throw new RunNotFoundError(id);
  const seen = asSeen(row, staleView(tracker.settings.staleAfterS, read.now));
  const params = flattenConfig(decodeJson(row.config) as JsonObject)
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((p) => ({ key: p.key, value: JSON.parse(p.value) as unknown, valueType: p.valueType }));
  const artifacts = (
    db
      .prepare(
        `SELECT id, kind, name, path, sha256, bytes, created_at FROM artifacts WHERE run_id = ? ORDER BY id`,
      )
      .all(id) as Omit<SqlRow<typeof artifactsTable>, 'run_id'>[]
  ).map(({ created_at, ...a }) => ({ ...a, createdAt: created_at }));
  const anomalyDetails = (
    db
      .prepare(
        `SELECT rule, severity, first_step, evidence, created_at FROM anomalies WHERE run_id = ? ORDER BY severity, id`,
      )
      .all(id) as Pick<
      SqlRow<typeof anomalies>,
      'rule' | 'severity' | 'first_step' | 'evidence' | 'created_at'
    >[]
  ).map((a) => ({
    rule: a.rule,
    severity: a.severity,
    firstStep: a.first_step,
    evidence: decodeJson(a.evidence) as JsonObject,
    createdAt: a.created_at,
  }));
  return {
    ...toRunItem(seen, anomaliesOf(tracker, [id]).get(id)),
    config: parseJsonObject(row.config) ?? {},
    params,
    system: parseJsonObject(row.system),
    summary: parseJsonObject(row.summary),
    contentHash: row.content_hash,
    host: row.host,
    pid: row.pid,
    errorStack: row.error_stack,
    metrics: metricSummaries(tracker, id),
    artifacts,
    anomalyDetails,
  };
}
