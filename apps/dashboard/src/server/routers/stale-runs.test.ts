import { testStoreLocation } from '@kelly/test-support';
import { openTracker } from '@kelly/tracking';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createContextInner } from '../context';
import { createCaller } from '../root';

// The dashboard's GETs write nothing: a run whose trainer died reads CRASHED through tRPC while its row stays
// RUNNING; the server's sweep (getTracker's timer, here called directly) then stores it.
const home = mkdtempSync(join(tmpdir(), 'kelly-dash-stale-'));
const tracker = openTracker({
  home,
  path: testStoreLocation(home, 'tracking.db'),
  staleAfterS: 60,
  handleSignals: false,
});
const caller = createCaller(createContextInner({ tracker }));
afterAll(() => {
  tracker.close();
  rmSync(home, { recursive: true, force: true });
});

describe('stale runs through tRPC', () => {
  it('runs.list, runs.get, runs.series and anomalies.byRule show CRASHED and change no row; the sweep stores it', async () => {
    const run = await tracker.startRun({ id: 'dead-trainer', experiment: 'groovepredictor', config: {} });
    run.logMetrics({ loss: 0.5 }, { step: 0 });
    run.logMetrics({ loss: Number.NaN }, { step: 1 }); // a nan_loss finding, stored when it ended
    await run.end();
    // the row a killed trainer leaves: RUNNING, last heartbeat two minutes ago
    const t = Date.now();
    tracker.sql
      .prepare(
        `UPDATE runs SET status = 'RUNNING', ended_at = NULL, duration_s = NULL, heartbeat_at = ?, started_at = ? WHERE id = ?`,
      )
      .run(t - 120_000, t - 180_000, run.id);
    const row = () => tracker.sql.prepare('SELECT * FROM runs WHERE id = ?').get(run.id);
    const before = row();

    expect((await caller.runs.list({})).items.map((r) => [r.id, r.status])).toEqual([[run.id, 'CRASHED']]);
    expect((await caller.runs.list({ status: 'CRASHED' })).items).toHaveLength(1);
    expect((await caller.runs.list({ status: 'RUNNING' })).items).toHaveLength(0);
    expect(await caller.runs.get({ id: run.id })).toMatchObject({ status: 'CRASHED', durationS: 60 });
    expect((await caller.runs.series({ runId: run.id }))[0]!.points).toHaveLength(2);
    // its findings from when it ended are still listed, under the status a read shows
    const flagged = (await caller.anomalies.byRule({})).rules.flatMap((g) => g.runs);
    expect(flagged.length).toBeGreaterThan(0);
    expect(flagged.map((r) => r.status)).toEqual(flagged.map(() => 'CRASHED'));
    expect(row()).toEqual(before);

    expect(tracker.sweepStale()).toEqual([run.id]);
    expect(row()).toMatchObject({ status: 'CRASHED', duration_s: 60, error_type: 'Crashed' });
    expect(await caller.runs.get({ id: run.id })).toMatchObject({ status: 'CRASHED', durationS: 60 });
  });
});
