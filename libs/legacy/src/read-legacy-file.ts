import { classifyLegacyDocument, type LegacyDocument, type LegacyFormat } from './classify';
import { parsePythonJson } from './python-json';
import { trainRunToRecord, type LegacyRunRecord } from './train-run-mapping';

/** What one legacy file's bytes amount to, before anything touches the store. */
export type LegacyFileReading =
  | {
      outcome: 'run';
      record: LegacyRunRecord;
      /**
       * What the log means: the run as read, its history and extra keys (`meaningHash` of it is equal for copies
       * that mean the same; compared field by field to say what two conflicting copies differ in).
       */
      meaning: Record<string, unknown>;
    }
  | { outcome: 'unparseable'; reason: string; offset: number | null }
  | { outcome: 'ignored'; reason: string; document: LegacyDocument | null };

const FORMAT_NAMES: Record<LegacyFormat, string> = {
  'train-run': 'a TrainRun run log',
  registry: 'a Kelly model registry',
  'checkpoint-results': 'a checkpoint results.json (train_model.py)',
  'training-curves': 'a training_curves.json',
  'worker-results': 'a parallel_train.py worker summary',
  'validation-results': 'a validate_model_inference.py validation_results.json',
};

/** Describes a recognised non-run document in a few words (for the `ignored` reason). */
function describeDocument(doc: LegacyDocument): string {
  switch (doc.format) {
    case 'registry':
      return `${FORMAT_NAMES.registry} v${doc.data.registry_version} (${doc.data.models.length} models)`;
    case 'worker-results':
      return `${FORMAT_NAMES['worker-results']} (${doc.data.length} entries)`;
    case 'validation-results':
      return `${FORMAT_NAMES['validation-results']} (${Object.keys(doc.data).length} models)`;
    case 'training-curves':
      return `${FORMAT_NAMES['training-curves']} (${doc.data.train_losses.length} epochs)`;
    default:
      return FORMAT_NAMES[doc.format];
  }
}

/**
 * Parses, classifies and maps one legacy file (`fileName` supplies a run id the log lacks). Pure and total: every input ends as a run, unparseable
 * (with the reason and byte offset) or ignored (with what it looked like). Never throws.
 */
export function readLegacyFile(bytes: Uint8Array | string, fileName?: string): LegacyFileReading {
  try {
    const parsed = parsePythonJson(bytes);
    if (!parsed.ok) return { outcome: 'unparseable', reason: parsed.reason, offset: parsed.offset };
    const doc = classifyLegacyDocument(parsed.value, fileName);
    switch (doc.format) {
      case 'train-run':
        return {
          outcome: 'run',
          record: trainRunToRecord(doc.data, doc.read),
          meaning: { run: doc.data, history: doc.read.history, extras: doc.read.extras },
        };
      case 'invalid':
        if (doc.looksLike === 'train-run') {
          return {
            outcome: 'unparseable',
            reason: `looks like a TrainRun run log but ${doc.reason}`,
            offset: null,
          };
        }
        return {
          outcome: 'ignored',
          reason: `not a run log: looks like ${FORMAT_NAMES[doc.looksLike]} but ${doc.reason}`,
          document: null,
        };
      case 'ignored':
        return { outcome: 'ignored', reason: `not a run log: ${doc.looksLike}`, document: null };
      default:
        return { outcome: 'ignored', reason: `not a run log: ${describeDocument(doc)}`, document: doc };
    }
  } catch (e) {
    // Defensive: a bug here must not take the importer down; the file is recorded with the reason.
    return {
      outcome: 'unparseable',
      reason: `internal reader error: ${e instanceof Error ? e.message : String(e)}`,
      offset: null,
    };
  }
}
