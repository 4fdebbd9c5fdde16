import { severityOf } from '../health/health-options';
import { evaluateRules } from '../health/check-run';
import { encodeJson } from '../db/json-column';
import { insertRows } from '../multi-row-insert';
import { ARTIFACT_COLUMNS, buildRunRows, METRIC_COLUMNS, ROLLUP_COLUMNS, RUN_COLUMNS } from '../run-rows';
import type { Tracker } from '../tracker';
import { logLine, type IngestDecision, type IngestOptions } from './ingest-file';
import type { Loaded } from './load-legacy-file';
import { prepareLegacyFile } from './prepare-file';

const FILE_COLUMNS = [
  'path',
  'dir',
  'rel_path',
  'sha256',
  'bytes',
  'mtime',
  'outcome',
  'reason',
  'byte_offset',
  'format',
  'run_id',
  'duplicate_of_file_id',
  'raw_text',
  'first_seen_at',
  'last_seen_at',
] as const;
const ANOMALY_COLUMNS = ['run_id', 'rule', 'severity', 'first_step', 'evidence', 'created_at'] as const;

/** `SELECT <col> FROM <table> WHERE <col> IN (values)` for a JSON array of values, as a Set. */
function present(tracker: Tracker, table: string, col: string, values: string[]): Set<string> {
  if (values.length === 0) return new Set();
  const st = tracker.sqlite
    .prepare(`SELECT ${col} FROM ${table} WHERE ${col} IN (SELECT value FROM json_each(?))`)
    .pluck();
  return new Set(st.all(JSON.stringify(values)) as string[]);
}

/**
 * The fast path of `ingestDir` for one batch: files never recorded before whose content no other file or run
 * has (and, for run logs, whose run id is free) need none of the per-file path's history, duplicate or rename
 * logic. They are decided from four batched lookups and written with multi-row INSERTs, the same rows and the
 * same health findings `ingestLegacyFile` would write. Everything else (changed, moved or duplicate files, a
 * second file with the same content or run id in this batch, documents for the `onDocument` hook) is returned
 * in `rest` for the per-file path. Call inside the batch's write transaction; a throw here rolls back only this
 * function's savepoint, and the caller then imports the files one by one.
 */
export function bulkIngest(
  tracker: Tracker,
  batch: Loaded[],
  options: IngestOptions,
): { decisions: IngestDecision[]; rest: Loaded[] } {
  const files = batch.map((l) =>
    l.kind === 'file' ? { ...l, prepared: l.prepared ?? prepareLegacyFile(l.input) } : null,
  );
  const candidates = files.filter((f) => f !== null);
  const knownPaths = present(
    tracker,
    'ingest_files',
    'path',
    candidates.map((f) => f.input.path),
  );
  const runFiles = candidates.filter((f) => f.prepared.run);
  const shas = runFiles.map((f) => f.prepared.sha256);
  const knownShas = present(tracker, 'ingest_files', 'sha256', shas);
  for (const h of present(tracker, 'runs', 'content_hash', shas)) knownShas.add(h);
  const takenIds = present(
    tracker,
    'runs',
    'id',
    runFiles.map((f) => f.prepared.run!.id),
  );
  const now = options.now?.() ?? Date.now();
  const fast: { file: (typeof candidates)[number]; decision: IngestDecision; row: unknown[] }[] = [];
  const rest: Loaded[] = [];
  const batchShas = new Set<string>();
  const batchIds = new Set<string>();
  files.forEach((f, i) => {
    const reading = f?.prepared.reading;
    const simple =
      f !== null &&
      reading !== undefined &&
      !knownPaths.has(f.input.path) &&
      (reading.outcome === 'unparseable' ||
        (reading.outcome === 'ignored' && !(reading.document && options.onDocument)) ||
        (reading.outcome === 'run' &&
          f.prepared.run !== undefined &&
          !knownShas.has(f.prepared.sha256) &&
          !batchShas.has(f.prepared.sha256) &&
          !takenIds.has(f.prepared.run.id) &&
          !batchIds.has(f.prepared.run.id)));
    if (!simple || !f || !reading) {
      rest.push(batch[i]!);
      return;
    }
    const p = f.prepared;
    const runId = reading.outcome === 'run' ? p.run!.id : null;
    if (runId) {
      batchShas.add(p.sha256);
      batchIds.add(runId);
    }
    const decision: IngestDecision = {
      path: f.input.path,
      relPath: f.input.relPath,
      outcome: reading.outcome === 'run' ? 'imported' : reading.outcome,
      changed: true,
      reason: reading.outcome === 'run' ? null : reading.reason,
      byteOffset: reading.outcome === 'unparseable' ? reading.offset : null,
      runId,
      sha256: p.sha256,
    };
    const format =
      reading.outcome === 'run'
        ? 'train-run'
        : reading.outcome === 'ignored'
          ? (reading.document?.format ?? null)
          : null;
    const row = [
      f.input.path,
      f.input.dir,
      f.input.relPath,
      p.sha256,
      p.size,
      f.input.mtimeMs ?? null,
      decision.outcome,
      decision.reason,
      decision.byteOffset,
      format,
      runId,
      null,
      p.rawText,
      now,
      now,
    ];
    fast.push({ file: f, decision, row });
  });
  if (fast.length === 0) return { decisions: [], rest };

  tracker.maybeSweep();
  tracker.sqlite.transaction(() => {
    const runs = fast.flatMap((x) => (x.file.prepared.run ? [buildRunRows(x.file.prepared.run, now)] : []));
    const addExperiment = tracker.sqlite.prepare(
      `INSERT OR IGNORE INTO experiments (name, created_at) VALUES (?, ?)`,
    );
    for (const e of new Set(runs.map((r) => r.run[1] as string))) addExperiment.run(e, now);
    insertRows(
      tracker.sqlite,
      'runs',
      RUN_COLUMNS,
      runs.map((r) => r.run),
    );
    insertRows(
      tracker.sqlite,
      'metrics',
      METRIC_COLUMNS,
      runs.flatMap((r) => r.metrics),
    );
    insertRows(
      tracker.sqlite,
      'metric_rollups',
      ROLLUP_COLUMNS,
      runs.flatMap((r) => r.rollups),
    );
    insertRows(
      tracker.sqlite,
      'artifacts',
      ARTIFACT_COLUMNS,
      runs.flatMap((r) => r.artifacts),
    );
    // no other run has this content (checked above), so the facts need no `duplicateOf` from the store
    const anomalies = runs.flatMap((r) =>
      r.facts.status === 'RUNNING'
        ? []
        : evaluateRules({ ...r.facts, duplicateOf: [] }, tracker.settings.health).map((x) => [
            r.facts.id,
            x.rule,
            severityOf(x.rule),
            x.firstStep,
            encodeJson(x.evidence),
            now,
          ]),
    );
    insertRows(tracker.sqlite, 'anomalies', ANOMALY_COLUMNS, anomalies);
    insertRows(
      tracker.sqlite,
      'ingest_files',
      FILE_COLUMNS,
      fast.map((x) => x.row),
    );
  })();
  for (const x of fast) options.log?.(logLine(x.decision));
  return { decisions: fast.map((x) => x.decision), rest };
}
