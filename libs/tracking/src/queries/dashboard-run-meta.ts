import { z } from 'zod';
import { encodeJson } from '../db/json-column';
import { withBusyRetry } from '../sqlite-retry';
import type { Tracker } from '../tracker';

export const RunMetaSchema = z.object({
  tags: z.array(z.string().trim().min(1, 'a tag must not be empty').max(64)).max(50).optional(),
  notes: z.string().max(20_000).optional(),
});
export type RunMeta = z.input<typeof RunMetaSchema>;

/**
 * Replaces a run's tags (deduplicated, in order) and/or notes — the fields a person edits on the dashboard.
 * @returns false when no run has this id.
 */
export function updateRunMeta(tracker: Tracker, runId: string, meta: RunMeta): boolean {
  const m = RunMetaSchema.parse(meta);
  const { sql: sqlite } = tracker;
  return withBusyRetry(() =>
    sqlite
      .transaction(() => {
        if (!sqlite.prepare(`SELECT 1 FROM runs WHERE id = ?`).get(runId)) return false;
        if (m.tags)
          sqlite
            .prepare(`UPDATE runs SET tags = ? WHERE id = ?`)
            .run(encodeJson([...new Set(m.tags)]), runId);
        if (m.notes !== undefined)
          sqlite.prepare(`UPDATE runs SET notes = ? WHERE id = ?`).run(m.notes, runId);
        return true;
      })
      .immediate(),
  );
}
