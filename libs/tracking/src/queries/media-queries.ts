import { z } from 'zod';
import type { Tracker } from '../tracker';
import { decodeJson } from '../db/json-column';
import type { JsonObject, MediaType } from '../db/schema';
import type { MediaRecord } from '../media/run-media';

export const ListMediaInputSchema = z.object({
  runIds: z.array(z.string().min(1)).min(1).max(20),
  /** Only this key (e.g. one clip's piano roll across runs). */
  key: z.string().min(1).optional(),
});
export type ListMediaInput = z.input<typeof ListMediaInputSchema>;

interface MediaRow {
  id: number;
  runId: string;
  artifactId: number;
  key: string;
  step: number;
  epoch: number | null;
  mime: MediaType;
  caption: string | null;
  bytes: number;
  path: string;
  meta: string | null;
  createdAt: number;
}

/** Media of the given runs, ordered by run (as given), key, step. Reads only. */
export function listMedia(tracker: Tracker, input: ListMediaInput): MediaRecord[] {
  const { runIds, key } = ListMediaInputSchema.parse(input);
  const rows = tracker.sqlite
    .prepare(
      `SELECT m.id, m.run_id AS runId, m.artifact_id AS artifactId, m.key, m.step, m.epoch, m.mime, m.caption,
              m.bytes, a.path, m.meta, m.created_at AS createdAt
       FROM media m JOIN artifacts a ON a.id = m.artifact_id
       WHERE m.run_id IN (SELECT value FROM json_each(?)) AND (? IS NULL OR m.key = ?)
       ORDER BY m.key, m.step`,
    )
    .all(JSON.stringify(runIds), key ?? null, key ?? null) as MediaRow[];
  const order = new Map(runIds.map((id, i) => [id, i]));
  return rows
    .map((r) => ({ ...r, meta: (r.meta ? decodeJson(r.meta) : {}) as JsonObject }))
    .sort((a, b) => (order.get(a.runId) ?? 0) - (order.get(b.runId) ?? 0));
}
