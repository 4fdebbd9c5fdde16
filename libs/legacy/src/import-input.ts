import type { ImportRun } from '@kelly/tracking';
import type { LegacyFileInput } from './ingest-decision';
import type { LegacyRunRecord } from './train-run-mapping';

/**
 * The store's import input for a legacy run record (`contentHash`: the file's sha256). Import notes go to
 * `summary.import_notes`, keys of no TrainRun version to `summary.extra`. Built in `ImportRunSchema`'s output
 * shape (every default filled) from a record the reader already validated field by field, so the importer skips
 * a second zod pass per file (measured: ~15 % of an import); legacy tests check the schema accepts it.
 */
export function toImportInput(
  record: LegacyRunRecord,
  runId: string,
  contentHash: string,
  file: LegacyFileInput,
): ImportRun {
  const finite = (v: number | null) => (v !== null && Number.isFinite(v) ? v : null);
  const startedAt = record.startedAtMs ?? file.mtimeMs ?? Date.now();
  return {
    id: runId,
    experiment: record.experiment,
    name: record.name,
    status: record.status,
    source: 'legacy',
    startedAt,
    endedAt: record.endedAtMs,
    backend: null,
    host: null,
    notes: null,
    system: null,
    durationS: finite(record.durationS),
    config: record.config,
    error: record.error,
    gitCommit: record.gitCommit,
    hardware: record.hardware,
    tags: ['legacy', ...record.tags.filter((t) => t !== 'legacy')],
    summary: {
      ...record.summary,
      start_time: record.startedAtLocal,
      end_time: record.endedAtLocal,
      time_zone: 'naive local time of the training machine, shown as written (zone unknown)',
      source_file: file.path,
      ...(record.notes.length ? { import_notes: record.notes } : {}),
      ...(Object.keys(record.extras).length ? { extra: record.extras } : {}),
    },
    contentHash,
    sourceMissing: false,
    metrics: record.metrics,
    artifacts: record.artifacts.filter((a) => a.path.trim() !== ''),
  };
}

/** First line of an error; for a zod error, its first issue with the field path. */
export function errorText(e: unknown): string {
  const issues = (e as { issues?: { path: PropertyKey[]; message: string }[] } | null)?.issues;
  if (Array.isArray(issues) && issues[0])
    return `field ${issues[0].path.map(String).join('.')}: ${issues[0].message}`;
  return e instanceof Error ? (e.message.split('\n')[0] ?? e.name) : String(e);
}
