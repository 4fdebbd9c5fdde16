import { testStoreLocation } from '@kelly/test-support';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bySql, crashMessage, getRun, listAnomalies, listRuns, metricSeries, openTracker } from '../index';

// Queries write nothing: a RUNNING run whose heartbeat stopped reads as CRASHED, its row stays as stored, and
// only a sweep (by a process that owns writes) stores the crash.
const dir = mkdtempSync(join(tmpdir(), 'kelly-stale-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A store holding two live runs of a process that is gone (its handle left open: no heartbeat, never ended). */
async function deadRunStore(name: string) {
  const path = testStoreLocation(dir, `${name}.db`);
  const dead = openTracker({ path, handleSignals: false, heartbeatMs: 3_600_000 });
  const run = await dead.startRun({ id: 'dead', experiment: 'melodytransformer', config: { lr: 0.001 } });
  for (let step = 0; step < 5; step++) run.logMetrics({ loss: 1 / (step + 1) }, { step, epoch: step });
  run.flush();
  await dead.startRun({ id: 'second', experiment: 'melodytransformer', config: { lr: 0.01 } });
  const reader = openTracker({ path, staleAfterS: 60, handleSignals: false });
  const row = (id: string) => reader.sql.prepare('SELECT * FROM runs WHERE id = ?').get(id);
  const snapshot = () => ({
    runs: reader.sql.prepare('SELECT * FROM runs ORDER BY id').all(),
    anomalies: reader.sql.prepare('SELECT * FROM anomalies ORDER BY id').all(),
    // rows written by anyone since: SQLite counts this connection's changes; PostgreSQL stamps every row version
    // written with its transaction id (xmin), so the newest xmin and the row counts of each table move on a write
    changes: reader.sql
      .prepare(
        bySql(reader.sql, {
          sqlite: 'SELECT total_changes() AS n',
          postgres: ['runs', 'metrics', 'metric_rollups', 'anomalies', 'artifacts']
            .map((t) => `SELECT '${t}' AS t, count(*) AS n, max(xmin::text::bigint) AS x FROM ${t}`)
            .join(' UNION ALL '),
        }),
      )
      .all(),
  });
  const { heartbeat_at } = row('dead') as { heartbeat_at: number };
  return {
    reader,
    row,
    snapshot,
    heartbeatAt: heartbeat_at,
    close: () => (reader.close(), dead.close()),
  };
}

describe('reads do not write (stale runs)', () => {
  it('listRuns, getRun, metricSeries and listAnomalies show a stale run CRASHED and leave every row as stored', async () => {
    const s = await deadRunStore('reads');
    try {
      // the clock a read uses is injected: 61 s after the last heartbeat, with a 60 s stale window
      const later = { now: s.heartbeatAt + 61_000 };
      const fresh = { now: s.heartbeatAt + 59_000 };
      const before = s.snapshot();

      const detail = getRun(s.reader, 'dead', later);
      expect(detail).toMatchObject({
        status: 'CRASHED',
        endedAt: s.heartbeatAt,
        errorType: 'Crashed',
        errorMessage: crashMessage(60),
      });
      expect(detail.durationS).toBeGreaterThanOrEqual(0);
      expect(getRun(s.reader, 'dead', fresh).status).toBe('RUNNING');

      const page = listRuns(s.reader, {}, later);
      expect(Object.fromEntries(page.items.map((r) => [r.id, r.status]))).toEqual({
        dead: 'CRASHED',
        second: 'CRASHED',
      });
      expect(
        listRuns(s.reader, { status: 'CRASHED' }, later)
          .items.map((r) => r.id)
          .sort(),
      ).toEqual(['dead', 'second']);
      expect(listRuns(s.reader, { status: 'RUNNING' }, later).items).toEqual([]);
      expect(
        listRuns(s.reader, { status: 'RUNNING' }, fresh)
          .items.map((r) => r.id)
          .sort(),
      ).toEqual(['dead', 'second']);
      expect(listRuns(s.reader, { status: ['FINISHED', 'CRASHED'] }, fresh).items).toEqual([]);
      // sorting by status sorts what is shown
      const sorted = listRuns(s.reader, { sort: 'status', order: 'asc' }, later).items;
      expect(sorted.map((r) => r.status)).toEqual(['CRASHED', 'CRASHED']);
      expect(metricSeries(s.reader, { runId: 'dead', key: 'loss' })[0]!.points).toHaveLength(5);
      expect(listAnomalies(s.reader, {}, later).total).toBe(0);

      expect(s.snapshot()).toEqual(before);
      expect(s.row('dead')).toMatchObject({ status: 'RUNNING', ended_at: null, error_type: null });
    } finally {
      s.close();
    }
  });

  it('the sweep then stores what the read showed, with the health rules run on it', async () => {
    const s = await deadRunStore('sweep');
    try {
      const shown = getRun(s.reader, 'dead', { now: s.heartbeatAt + 61_000 });
      expect(s.reader.sweepStale(s.heartbeatAt + 61_000).sort()).toEqual(['dead', 'second']);
      const stored = getRun(s.reader, 'dead');
      expect(stored).toMatchObject({
        status: 'CRASHED',
        endedAt: shown.endedAt,
        durationS: shown.durationS,
        errorType: shown.errorType,
        errorMessage: shown.errorMessage,
      });
      expect(s.row('dead')).toMatchObject({
        status: 'CRASHED',
        ended_at: s.heartbeatAt,
        error_type: 'Crashed',
      });
    } finally {
      s.close();
    }
  });

  it('opening a tracker sweeps nothing', async () => {
    const s = await deadRunStore('open');
    try {
      const before = s.snapshot();
      const other = openTracker({ path: s.reader.path, staleAfterS: 0.001, handleSignals: false });
      other.close();
      expect(s.row('dead')).toMatchObject({ status: 'RUNNING' });
      expect(s.snapshot().runs).toEqual(before.runs);
    } finally {
      s.close();
    }
  });
});
