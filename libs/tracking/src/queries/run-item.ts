import { decodeJson } from '../db/json-column';
import type { JsonObject, RunSource, RunStatus, runs } from '../db/schema';
import type { SqlRow } from '../db/sql-row';

/** How a query reads the clock: `now` (Unix ms) decides which RUNNING runs are stale; default the clock. */
export interface ReadOptions {
  now?: number;
}

/** Thrown for an unknown run id (the CLI maps it to exit 2, tRPC to NOT_FOUND). */
export class RunNotFoundError extends Error {
  constructor(readonly runId: string) {
    super(`unknown run id "${runId}"`);
    this.name = 'RunNotFoundError';
  }
}

/** One run as lists show it. Times are Unix ms, durationS seconds. */
export interface RunItem {
  id: string;
  experiment: string;
  name: string | null;
  status: RunStatus;
  source: RunSource;
  startedAt: number;
  endedAt: number | null;
  durationS: number | null;
  tags: string[];
  /** Rule names found on the run, errors first. */
  anomalies: string[];
  /** Worst severity among them. */
  severity: 'error' | 'warning' | null;
  gitCommit: string | null;
  backend: string | null;
  hardware: string | null;
  errorType: string | null;
  errorMessage: string | null;
  sourceMissing: boolean;
  notes: string | null;
  heartbeatAt: number | null;
}

/** Columns a RunItem needs, selected from `runs r`. */
export const RUN_ITEM_COLUMNS = `r.id, r.experiment, r.name, r.status, r.source, r.started_at, r.ended_at, r.duration_s,
  r.tags, r.git_commit, r.backend, r.hardware, r.error_type, r.error_message, r.source_missing, r.notes, r.heartbeat_at`;

/** The row RUN_ITEM_COLUMNS select (types from the schema: a renamed column fails tsc here and in its readers). */
export type RunItemRow = Pick<
  SqlRow<typeof runs>,
  | 'id'
  | 'experiment'
  | 'name'
  | 'status'
  | 'source'
  | 'started_at'
  | 'ended_at'
  | 'duration_s'
  | 'tags'
  | 'git_commit'
  | 'backend'
  | 'hardware'
  | 'error_type'
  | 'error_message'
  | 'source_missing'
  | 'notes'
  | 'heartbeat_at'
>;

export function toRunItem(r: RunItemRow, anomalies: { rule: string; severity: string }[] = []): RunItem {
  const sorted = [...anomalies].sort((a, b) =>
    a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1,
  );
  return {
    id: r.id,
    experiment: r.experiment,
    name: r.name,
    status: r.status,
    source: r.source,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    durationS: r.duration_s,
    tags: decodeJson(r.tags) as string[],
    anomalies: [...new Set(sorted.map((a) => a.rule))],
    severity: sorted.length ? (sorted[0]!.severity as 'error' | 'warning') : null,
    gitCommit: r.git_commit,
    backend: r.backend,
    hardware: r.hardware,
    errorType: r.error_type,
    errorMessage: r.error_message,
    sourceMissing: r.source_missing === 1,
    notes: r.notes,
    heartbeatAt: r.heartbeat_at,
  };
}

export const parseJsonObject = (text: string | null): JsonObject | null =>
  text === null ? null : (decodeJson(text) as JsonObject);
