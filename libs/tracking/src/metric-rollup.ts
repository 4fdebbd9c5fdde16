import type { SqlClient, SqlStatement } from './db/sql-client';
import { insertRows } from './multi-row-insert';

/** Points per bucket at each rollup level (see `metric_rollups` in the schema). */
export const ROLLUP_LEVELS = [
  { level: 1, size: 64 },
  { level: 2, size: 4096 },
] as const;

/** One bucket's running state; min/max over finite values only. */
interface Bucket {
  level: number;
  bucket: number;
  count: number;
  firstStep: number;
  lastStep: number;
  minValue: number | null;
  minStep: number | null;
  minEpoch: number | null;
  minWall: number | null;
  maxValue: number | null;
  maxStep: number | null;
  maxEpoch: number | null;
  maxWall: number | null;
}

const fresh = (level: number, bucket: number, step: number): Bucket => ({
  level,
  bucket,
  count: 0,
  firstStep: step,
  lastStep: step,
  minValue: null,
  minStep: null,
  minEpoch: null,
  minWall: null,
  maxValue: null,
  maxStep: null,
  maxEpoch: null,
  maxWall: null,
});

/**
 * Builds the rollups of the series one writer appends to, in order. Keeps the open bucket of each (key, level)
 * in memory; `write` upserts every bucket touched since the last write (so partial buckets are always current).
 */
export class RollupBuilder {
  /** key → points seen so far */
  private readonly counts = new Map<string, number>();
  /** key → open bucket per level */
  private readonly open = new Map<string, Bucket[]>();
  private readonly dirty = new Map<string, Set<Bucket>>();

  /**
   * Starts `key` at point index `count` (its first `count` points are already stored in complete top-level
   * buckets), for a builder that continues a stored series.
   */
  skip(key: string, count: number): void {
    this.counts.set(key, count);
  }

  add(key: string, step: number, epoch: number | null, wall: number, value: number): void {
    const index = this.counts.get(key) ?? 0;
    this.counts.set(key, index + 1);
    let buckets = this.open.get(key);
    let dirty = this.dirty.get(key);
    if (!buckets) {
      buckets = ROLLUP_LEVELS.map((l) => fresh(l.level, Math.floor(index / l.size), step));
      this.open.set(key, buckets);
    }
    if (!dirty) {
      // first point since the last write: the open buckets will change, so they are written again
      dirty = new Set(buckets);
      this.dirty.set(key, dirty);
    }
    const finite = Number.isFinite(value);
    for (let i = 0; i < ROLLUP_LEVELS.length; i++) {
      let b = buckets[i]!;
      const bucketNo = Math.floor(index / ROLLUP_LEVELS[i]!.size);
      if (b.bucket !== bucketNo) {
        b = buckets[i] = fresh(b.level, bucketNo, step);
        dirty.add(b);
      }
      b.count++;
      b.lastStep = step;
      if (finite) {
        if (b.minValue === null || value < b.minValue) {
          b.minValue = value;
          b.minStep = step;
          b.minEpoch = epoch;
          b.minWall = wall;
        }
        if (b.maxValue === null || value > b.maxValue) {
          b.maxValue = value;
          b.maxStep = step;
          b.maxEpoch = epoch;
          b.maxWall = wall;
        }
      }
    }
  }

  /** State copy, to undo `add`s of a transaction that is retried or fails. */
  snapshot(): unknown {
    const copy = (bs: Iterable<Bucket>) => [...bs].map((b) => ({ ...b }));
    return {
      counts: new Map(this.counts),
      open: new Map([...this.open].map(([k, bs]) => [k, copy(bs)])),
      dirtyKeys: new Map(
        [...this.dirty].map(([k, set]) => [k, [...set].map((b) => ({ level: b.level, bucket: b.bucket }))]),
      ),
    };
  }

  restore(snapshot: unknown): void {
    const s = snapshot as {
      counts: Map<string, number>;
      open: Map<string, Bucket[]>;
      dirtyKeys: Map<string, { level: number; bucket: number }[]>;
    };
    this.counts.clear();
    for (const [k, v] of s.counts) this.counts.set(k, v);
    this.open.clear();
    for (const [k, bs] of s.open)
      this.open.set(
        k,
        bs.map((b) => ({ ...b })),
      );
    this.dirty.clear();
    for (const [k, ids] of s.dirtyKeys) {
      const open = this.open.get(k) ?? [];
      // Only open buckets can be dirty across a flush boundary (closed ones were written already).
      this.dirty.set(
        k,
        new Set(open.filter((b) => ids.some((i) => i.level === b.level && i.bucket === b.bucket))),
      );
    }
  }

  /**
   * The buckets touched since the last `write`/`takeRows` as `metric_rollups` rows in ROLLUP_COLUMNS order, and
   * forgets them (for a caller that inserts them itself, e.g. a whole run imported after its rows were deleted).
   */
  takeRows(runId: string, o: { wholeSeries?: boolean } = {}): unknown[][] {
    const rows: unknown[][] = [];
    const first = ROLLUP_LEVELS[0];
    for (const [key, set] of this.dirty)
      for (const b of set) {
        // `wholeSeries` (every point of the series was added): a series that fits in the first bucket of the
        // finest level has that bucket equal to the top level's bucket 0, so it is left out (readers fall back
        // to the points, which are fewer than one bucket)
        if (o.wholeSeries && b.level === first.level && (this.counts.get(key) ?? 0) <= first.size) continue;
        rows.push([
          runId,
          key,
          b.level,
          b.bucket,
          b.count,
          b.firstStep,
          b.lastStep,
          b.minValue,
          b.minStep,
          b.minEpoch,
          b.minWall,
          b.maxValue,
          b.maxStep,
          b.maxEpoch,
          b.maxWall,
        ]);
      }
    this.dirty.clear();
    return rows;
  }

  /** Upserts the buckets touched since the last call. Call inside the caller's transaction. */
  write(sqlite: SqlClient, runId: string): void {
    if (this.dirty.size === 0) return;
    // PostgreSQL: multi-row upserts (a statement is a round trip there); SQLite: one prepared upsert per row
    if (sqlite.dialect === 'postgres')
      return insertRows(sqlite, 'metric_rollups', ROLLUP_COLUMNS, this.takeRows(runId), {
        onConflict: ROLLUP_CONFLICT,
      });
    const upsert = upsertStatement(sqlite);
    // positional binding: binding a 15-key object per row cost more than the row's insert
    for (const row of this.takeRows(runId)) upsert.run(row);
  }
}

/** Columns of a `takeRows` row. */
export const ROLLUP_COLUMNS = [
  'run_id',
  'key',
  'level',
  'bucket',
  'count',
  'first_step',
  'last_step',
  'min_value',
  'min_step',
  'min_epoch',
  'min_wall',
  'max_value',
  'max_step',
  'max_epoch',
  'max_wall',
] as const;

const ROLLUP_CONFLICT = `ON CONFLICT (run_id, key, level, bucket) DO UPDATE SET ${ROLLUP_COLUMNS.slice(4)
  .map((c) => `${c} = excluded.${c}`)
  .join(', ')}`;

const statements = new WeakMap<SqlClient, SqlStatement>();
function upsertStatement(sqlite: SqlClient): SqlStatement {
  let st = statements.get(sqlite);
  if (!st) {
    st = sqlite.prepare(
      `INSERT INTO metric_rollups (run_id, key, level, bucket, count, first_step, last_step,
         min_value, min_step, min_epoch, min_wall, max_value, max_step, max_epoch, max_wall)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ${ROLLUP_CONFLICT}`,
    );
    statements.set(sqlite, st);
  }
  return st;
}
