import type { IngestOutcome, RunStatus } from '@kelly/tracking/schema';
import type { LegacyDocument } from './classify';
import type { IngestFileRow } from './ingest-store';

// The contracts of the import pipeline: what it is given (a file), what it is told (options) and what it
// decides (a decision, read back from an ingestion row), shared by every step of ingest-*.ts.

/** One file's bytes as the importer sees them. */
export interface LegacyFileInput {
  /** Absolute path (the key of the ingestion record). */
  path: string;
  /** The watched/ingested root the file was found under. */
  dir: string;
  /** Path relative to `dir`, `/`-separated. */
  relPath: string;
  bytes: Uint8Array;
  /** Modification time, epoch ms (start time of a log that has none). */
  mtimeMs?: number;
}

/** What the importer decided for one file. `outcome` is what the ingestion record now says. */
export interface IngestDecision {
  path: string;
  relPath: string;
  outcome: IngestOutcome;
  /** False when the file was already recorded with this exact content (nothing was written). */
  changed: boolean;
  reason: string | null;
  byteOffset: number | null;
  runId: string | null;
  sha256: string | null;
}

export interface IngestOptions {
  /** Receives one line per decision (default: none). */
  log?: (line: string) => void;
  /**
   * `ingestDir` only: trust a recorded file whose size and mtime are unchanged without reading it (the
   * watcher's rescans; an explicit `kelly ingest` pass always reads and hashes every file).
   */
  quick?: boolean;
  /** Also log files found unchanged (default false: a rescan of 10,000 files stays quiet). */
  logUnchanged?: boolean;
  /** Clock, epoch ms (tests). */
  now?: () => number;
  /**
   * Called (inside the file's transaction) for a recognised non-run document, e.g. to import a `registry`
   * as model history (`importLegacyRegistry`). A returned note is appended to the file's reason; a throw is
   * recorded there too and never aborts the import.
   */
  onDocument?: (document: LegacyDocument, file: LegacyFileInput) => string | void;
}

/** `ingestDir`'s options (and an ingest target's `ingestDir`). */
export interface IngestDirOptions extends IngestOptions {
  /**
   * List every file in the result's `files` (default true). False keeps only the totals (and `onChangedFile`), so
   * a pass over a folder of 100,000 files holds no per-file list (the watcher).
   */
  listFiles?: boolean;
  /** Called, once the files are imported, with every file whose record the pass changed. */
  onChangedFile?: (file: IngestDecision & { runStatus: RunStatus | null }) => void;
}

export function fromRow(row: IngestFileRow, changed: boolean): IngestDecision {
  return {
    path: row.path,
    relPath: row.relPath,
    outcome: row.outcome,
    changed,
    reason: row.reason,
    byteOffset: row.byteOffset,
    runId: row.runId,
    sha256: row.sha256,
  };
}

/** One line per decision, e.g. `imported a/x.json → run x (sha256 1a2b3c4d)`. */
export function logLine(d: IngestDecision): string {
  const what = d.changed ? d.outcome : `unchanged (${d.outcome})`;
  const run = d.runId ? ` → run ${d.runId}` : '';
  const reason = d.reason ? `: ${d.reason}` : '';
  return `${what} ${d.relPath}${run}${reason}`;
}
