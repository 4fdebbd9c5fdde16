import { importLegacyRegistry } from './legacy-import';
import type { Tracker } from '@kelly/tracking';
import type { IngestOptions } from '@kelly/legacy';

/**
 * An `onDocument` hook for ingestion and the watcher: every old `models/registry.json` met in a watched
 * folder is imported as model history (`importLegacyRegistry`, idempotent across snapshots); other
 * recognised documents stay merely `ignored`.
 */
export function registryModelHistory(tracker: Tracker): NonNullable<IngestOptions['onDocument']> {
  return (document, file) => {
    if (document.format !== 'registry') return;
    const r = importLegacyRegistry(tracker, file.path, file.bytes);
    return `model history: ${r.created} new legacy version(s), ${r.skipped} already known`;
  };
}
