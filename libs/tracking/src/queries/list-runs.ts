import { z } from 'zod';
import { RUN_SOURCES, RUN_STATUSES, type anomalies } from '../db/schema';
import { bySql, jsonArrayValues, likeNoCase } from '../db/sql-client';
import type { SqlRow } from '../db/sql-row';
import { asSeen, runningSql, seenStatusSql, staleView, type StaleView } from '../stale-runs';
import type { Tracker } from '../tracker';
import { RUN_ITEM_COLUMNS, toRunItem, type ReadOptions, type RunItem, type RunItemRow } from './run-item';

/** Sort expressions over `runs r`; status and duration as a read shows them (a stale RUNNING run is CRASHED). */
const SORTS = {
  startedAt: () => 'r.started_at',
  durationS: (v: StaleView) =>
    `coalesce(r.duration_s, CASE WHEN ${runningSql('r', v, true)} THEN (coalesce(r.heartbeat_at, r.started_at) - r.started_at) / 1000.0 END, -1)`,
  experiment: () => 'r.experiment',
  status: (v: StaleView) => seenStatusSql('r', v),
  name: () => "coalesce(r.name, '')",
} as const;

/** Filters, sort and page of `listRuns` (also the tRPC input). */
export const ListRunsInputSchema = z.object({
  experiment: z.string().min(1).optional(),
  status: z.union([z.enum(RUN_STATUSES), z.array(z.enum(RUN_STATUSES))]).optional(),
  /** A rule name, or `any` for runs with at least one anomaly, `none` for clean runs. */
  anomaly: z.string().min(1).optional(),
  source: z.enum(RUN_SOURCES).optional(),
  tag: z.string().min(1).optional(),
  /** Free text: id, name, experiment, notes, tags, error message, or a config `key=value` fragment. */
  q: z.string().optional(),
  sort: z.enum(Object.keys(SORTS) as [keyof typeof SORTS, ...(keyof typeof SORTS)[]]).default('startedAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
  limit: z.number().int().min(1).max(1000).default(50),
  /** `nextCursor` of the previous page. */
  cursor: z.string().nullish(),
});
export type ListRunsInput = z.input<typeof ListRunsInputSchema>;

export interface RunPage {
  items: RunItem[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  nextCursor: string | null;
}

const encodeCursor = (sortValue: unknown, id: string) =>
  Buffer.from(JSON.stringify([sortValue, id])).toString('base64url');
function decodeCursor(cursor: string): [string | number, string] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown;
    if (
      Array.isArray(v) &&
      v.length === 2 &&
      typeof v[1] === 'string' &&
      ['string', 'number'].includes(typeof v[0])
    )
      return v as [string | number, string];
  } catch {
    /* fall through */
  }
  // a zod error naming the field: callers (tRPC, the CLI) report it as a bad `cursor`, not a server fault
  throw new z.ZodError([
    { code: 'custom', path: ['cursor'], message: `invalid cursor "${cursor.slice(0, 100)}"`, input: cursor },
  ]);
}

/**
 * `EXISTS` over the run's config leaves, each as `key=value` with the value as JSON text (`optimizer.lr=0.001`,
 * `loss="mse"`), the way `flattenConfig` shows params, matched by `cond` (SQL over `p.leaf`). Objects are not
 * leaves (an empty one is); an array is one leaf, its elements are not.
 */
const CONFIG_LEAF_MATCH = {
  sqlite: (cond: string) => `EXISTS (SELECT 1 FROM (SELECT CASE
      WHEN (p.type = 'object' AND p.value <> '{}') OR p.fullkey GLOB '$*[[]*' THEN NULL
      ELSE substr(p.fullkey, 3) || '=' || CASE p.type WHEN 'text' THEN json_quote(p.value) WHEN 'true' THEN 'true'
        WHEN 'false' THEN 'false' WHEN 'null' THEN 'null' ELSE p.value END END AS leaf
      FROM json_tree(r.config) p) p WHERE ${cond})`,
  // json, not jsonb: a value's text stays as stored (`[256,128]`, not jsonb's `[256, 128]`)
  postgres: (cond: string) => `EXISTS (WITH RECURSIVE t(path, v) AS (
        SELECT e.key, e.value FROM json_each(CASE WHEN json_typeof(r.config::json) = 'object'
          THEN r.config::json ELSE '{}'::json END) e
        UNION ALL
        SELECT t.path || '.' || e.key, e.value FROM t, json_each(t.v) e
        WHERE json_typeof(t.v) = 'object')
      SELECT 1 FROM (SELECT path || '=' || v::text AS leaf FROM t
        WHERE json_typeof(v) <> 'object' OR v::text = '{}') p WHERE ${cond})`,
};

/**
 * One page of runs, newest first by default. Keyset pagination on (sort value, id), fetching limit+1 rows;
 * anomalies of the page are aggregated in one query. Writes nothing: a RUNNING run whose heartbeat is older
 * than the stale window is shown (and filtered, and sorted) as CRASHED.
 */
export function listRuns(tracker: Tracker, input: ListRunsInput = {}, read: ReadOptions = {}): RunPage {
  const o = ListRunsInputSchema.parse(input);
  const view = staleView(tracker.settings.staleAfterS, read.now);
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (clause: string, ...values: unknown[]) => {
    where.push(clause);
    params.push(...values);
  };
  if (o.experiment) add('r.experiment = ?', o.experiment);
  if (o.status) {
    const list = Array.isArray(o.status) ? o.status : [o.status];
    const stored = list.filter((s) => s !== 'RUNNING');
    const either = [
      ...(stored.length ? [`r.status IN (${stored.map(() => '?').join(',')})`] : []),
      ...(list.includes('RUNNING') ? [runningSql('r', view, false)] : []),
      ...(list.includes('CRASHED') ? [runningSql('r', view, true)] : []),
    ];
    add(`(${either.join(' OR ')})`, ...stored);
  }
  if (o.source) add('r.source = ?', o.source);
  if (o.anomaly === 'any') add('EXISTS (SELECT 1 FROM anomalies a WHERE a.run_id = r.id)');
  else if (o.anomaly === 'none') add('NOT EXISTS (SELECT 1 FROM anomalies a WHERE a.run_id = r.id)');
  else if (o.anomaly)
    add('EXISTS (SELECT 1 FROM anomalies a WHERE a.run_id = r.id AND a.rule = ?)', o.anomaly);
  if (o.tag)
    add(`EXISTS (SELECT 1 FROM ${jsonArrayValues(tracker.sql, 'r.tags')} t WHERE t.value = ?)`, o.tag);
  if (o.q?.trim()) {
    const like = `%${o.q.trim().replace(/[\\%_]/g, (c) => '\\' + c)}%`;
    const matches = (col: string) => `${col} ${likeNoCase(tracker.sql)} ? ESCAPE '\\'`;
    const columns = ['r.id', 'r.name', 'r.experiment', 'r.notes', 'r.tags', 'r.error_message'];
    where.push(
      `(${columns.map(matches).join(' OR ')} OR ${bySql(tracker.sql, CONFIG_LEAF_MATCH)(matches('p.leaf'))})`,
    );
    params.push(...Array<string>(7).fill(like));
  }
  const sortExpr = SORTS[o.sort](view);
  const cmp = o.order === 'desc' ? '<' : '>';
  if (o.cursor) {
    const [value, id] = decodeCursor(o.cursor);
    where.push(`(${sortExpr} ${cmp} ? OR (${sortExpr} = ? AND r.id ${cmp} ?))`);
    params.push(value, value, id);
  }
  const sql = `SELECT ${RUN_ITEM_COLUMNS}, ${sortExpr} AS sort_value FROM runs r
    ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
    ORDER BY ${sortExpr} ${o.order}, r.id ${o.order} LIMIT ?`;
  const rows = tracker.sql.prepare(sql).all(...params, o.limit + 1) as (RunItemRow & {
    sort_value: string | number;
  })[];
  const page = rows.slice(0, o.limit);
  const anomalies = anomaliesOf(
    tracker,
    page.map((r) => r.id),
  );
  const last = page[page.length - 1];
  return {
    items: page.map((r) => toRunItem(asSeen(r, view), anomalies.get(r.id))),
    nextCursor: rows.length > o.limit && last ? encodeCursor(last.sort_value, last.id) : null,
  };
}

/** Anomaly rule names and severities of many runs, in one query. */
export function anomaliesOf(
  tracker: Tracker,
  ids: string[],
): Map<string, { rule: string; severity: string }[]> {
  const out = new Map<string, { rule: string; severity: string }[]>();
  if (!ids.length) return out;
  const rows = tracker.sql
    .prepare(
      `SELECT run_id, rule, severity FROM anomalies WHERE run_id IN (SELECT value FROM ${jsonArrayValues(tracker.sql, '?')}) ORDER BY id`,
    )
    .all(JSON.stringify(ids)) as Pick<SqlRow<typeof anomalies>, 'run_id' | 'rule' | 'severity'>[];
  for (const r of rows) {
    const list = out.get(r.run_id) ?? [];
    list.push({ rule: r.rule, severity: r.severity });
    out.set(r.run_id, list);
  }
  return out;
}
