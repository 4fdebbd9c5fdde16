import { z } from 'zod';
import type { Tracker } from '../tracker';
import { decodeJson } from '../db/json-column';
import type { artifacts, JsonObject, media } from '../db/schema';
import { jsonArrayValues } from '../db/sql-client';
import type { SqlRow } from '../db/sql-row';
import type { MediaRecord } from '../media/run-media';

export const ListMediaInputSchema = z.object({
  runIds: z.array(z.string().min(1)).min(1).max(20),
  /** Only this key (e.g. one clip's piano roll across runs). */
  key: z.string().min(1).optional(),
});
export type ListMediaInput = z.input<typeof ListMediaInputSchema>;

/** One media row joined with its artifact's path, typed from the schema. */
type MediaRow = SqlRow<typeof media> & Pick<SqlRow<typeof artifacts>, 'path'>;

/** Media of the given runs, ordered by run (as given), key, step. Reads only. */
export function listMedia(tracker: Tracker, input: ListMediaInput): MediaRecord[] {
  const { runIds, key } = ListMediaInputSchema.parse(input);
  const rows = tracker.sql
    .prepare(
      `SELECT m.*, a.path
       FROM media m JOIN artifacts a ON a.id = m.artifact_id
       WHERE m.run_id IN (SELECT value FROM ${jsonArrayValues(tracker.sql, '?')}) AND (CAST(? AS text) IS NULL OR m.key = ?)
       ORDER BY m.key, m.step`,
    )
    .all(JSON.stringify(runIds), key ?? null, key ?? null) as MediaRow[];
  const order = new Map(runIds.map((id, i) => [id, i]));
  return rows
    .map((r): MediaRecord => ({
      id: r.id,
      runId: r.run_id,
      artifactId: r.artifact_id,
      key: r.key,
      step: r.step,
      epoch: r.epoch,
      mime: r.mime,
      caption: r.caption,
      bytes: r.bytes,
      path: r.path,
      meta: (r.meta ? decodeJson(r.meta) : {}) as JsonObject,
      createdAt: r.created_at,
    }))
    .sort((a, b) => (order.get(a.runId) ?? 0) - (order.get(b.runId) ?? 0));
}
