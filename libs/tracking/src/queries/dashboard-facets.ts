import { decodeJson } from '../db/json-column';
import type { anomalies, experiments as experimentsTable, runs } from '../db/schema';
import type { SqlRow } from '../db/sql-row';
import type { Tracker } from '../tracker';

export interface RunFacets {
  /** Every experiment name, sorted. */
  experiments: string[];
  /** Every tag used by some run, sorted. */
  tags: string[];
  /** Every anomaly rule that flags some run, sorted. */
  rules: string[];
}

/** The values the dashboard's run filters offer (experiment, tag, anomaly rule). */
export function runFacets(tracker: Tracker): RunFacets {
  const { sql: sqlite } = tracker;
  const experiments = (
    sqlite.prepare(`SELECT name FROM experiments ORDER BY name`).all() as Pick<
      SqlRow<typeof experimentsTable>,
      'name'
    >[]
  ).map((r) => r.name);
  const rules = (
    sqlite.prepare(`SELECT DISTINCT rule FROM anomalies ORDER BY rule`).all() as Pick<
      SqlRow<typeof anomalies>,
      'rule'
    >[]
  ).map((r) => r.rule);
  const tags = new Set<string>();
  for (const row of sqlite.prepare(`SELECT DISTINCT tags FROM runs WHERE tags <> '[]'`).all() as Pick<
    SqlRow<typeof runs>,
    'tags'
  >[]) {
    const parsed = decodeJson(row.tags);
    if (Array.isArray(parsed)) for (const t of parsed) if (typeof t === 'string') tags.add(t);
  }
  return { experiments, tags: [...tags].sort(), rules };
}
