import { sha256Hex, type ImportRun } from '@kelly/tracking';
import { errorText, toImportInput } from './import-input';
import type { LegacyFileInput } from './ingest-decision';
import { readLegacyFile, type LegacyFileReading } from './read-legacy-file';

/**
 * Everything the importer works out from a file's bytes alone, before it touches the store: hash, text, what the
 * file is and, for a run log, the validated run to write. Pure (no store, no clock).
 */
export interface PreparedLegacyFile {
  sha256: string;
  /** Size in bytes. */
  size: number;
  /** The text as stored with the ingestion record (invalid UTF-8 replaced). */
  rawText: string;
  reading: LegacyFileReading;
  /** For a run log: the run to import, validated, with its own `run_id` as id (the store may rename it). */
  run?: ImportRun;
  /** For a run log that maps to an invalid run: why (the file is then recorded as `unparseable`). */
  runError?: string;
}

const lossy = new TextDecoder('utf-8');

/** Re-exported for the importer: the one sha256 helper is @kelly/tracking's. */
export { sha256Hex };

export function prepareLegacyFile(file: LegacyFileInput): PreparedLegacyFile {
  const sha = sha256Hex(file.bytes);
  const reading = readLegacyFile(file.bytes, file.relPath);
  const prepared: PreparedLegacyFile = {
    sha256: sha,
    size: file.bytes.length,
    rawText: lossy.decode(file.bytes),
    reading,
  };
  if (reading.outcome === 'run') {
    try {
      prepared.run = toImportInput(reading.record, reading.record.id, sha, file);
    } catch (e) {
      prepared.runError = errorText(e);
    }
  }
  return prepared;
}
