import { testStoreLocation } from '@kelly/test-support';
import { describe, expect, it } from 'vitest';
import {
  bySql,
  importRunsInTransaction,
  importRun,
  ImportRunSchema,
  openTracker,
  type ImportRunInput,
  type Tracker,
} from './index';

const curve = (key: string, n: number, f: (i: number) => number) =>
  Array.from({ length: n }, (_, i) => ({ key, step: i, epoch: i, value: f(i) }));

/** New runs, a NaN run, a failure, runs sharing a content hash with each other and with a stored run, a repeated id. */
const batch: ImportRunInput[] = [
  {
    id: 'n1',
    experiment: 'melodytransformer',
    status: 'FINISHED',
    startedAt: 1_000,
    durationS: 600,
    config: { epochs: 30, lr: NaN },
    summary: { final_train_loss: 0.5, best_val_loss: Infinity, note: null },
    contentHash: 'fresh-1',
    metrics: [...curve('train_loss', 30, (i) => 2 / (i + 1)), ...curve('val_loss', 30, (i) => 1 + i / 10)],
    artifacts: [{ kind: 'checkpoint', path: '/m/n1.pt' }],
  },
  {
    id: 'n2',
    experiment: 'groovepredictor',
    status: 'FAILED',
    startedAt: 2_000,
    endedAt: 3_000,
    error: { type: 'OSError', message: '[Errno 2] No such file' },
    contentHash: 'fresh-2',
    metrics: [{ key: 'train_loss', step: 0, value: NaN }],
  },
  { id: 'twin-a', experiment: 'e', status: 'FINISHED', startedAt: 10, durationS: 9, contentHash: 'shared' },
  { id: 'twin-b', experiment: 'e', status: 'FINISHED', startedAt: 5, durationS: 9, contentHash: 'shared' },
  { id: 'late', experiment: 'e', status: 'FINISHED', startedAt: 50, durationS: 9, contentHash: 'stored' },
  { id: 'old', experiment: 'e', status: 'FAILED', startedAt: 7, durationS: 1, contentHash: 'fresh-3' },
  { id: 'again', experiment: 'e', status: 'FINISHED', startedAt: 1, durationS: 9, contentHash: 'a1' },
  { id: 'again', experiment: 'e', status: 'FINISHED', startedAt: 2, durationS: 99, contentHash: 'a2' },
];

/** What the store holds before the batch: a run the batch replaces (`old`) and one sharing a hash (`early`). */
function seeded(): Tracker {
  const t = openTracker({ path: testStoreLocation(':memory:'), handleSignals: false });
  importRun(t, {
    id: 'old',
    experiment: 'e',
    status: 'FINISHED',
    startedAt: 7,
    durationS: 500,
    contentHash: 'x',
  });
  importRun(t, {
    id: 'early',
    experiment: 'e',
    status: 'FINISHED',
    startedAt: 1,
    durationS: 9,
    contentHash: 'stored',
  });
  return t;
}

function snapshot(t: Tracker) {
  const q = (sql: string) => t.sql.prepare(sql).all();
  return {
    runs: q(`SELECT * FROM runs ORDER BY id`),
    metrics: q(
      `SELECT run_id, key, step, epoch, wall_time, value, flag FROM metrics ORDER BY run_id, key, step`,
    ),
    rollups: q(`SELECT * FROM metric_rollups ORDER BY run_id, key, level, bucket`),
    artifacts: q(`SELECT run_id, kind, name, path FROM artifacts ORDER BY run_id, path`),
    anomalies: q(`SELECT run_id, rule, severity, first_step, evidence FROM anomalies ORDER BY run_id, rule`),
    experiments: q(`SELECT name FROM experiments ORDER BY name`),
  };
}

describe('importRunsInTransaction', () => {
  it('leaves the store exactly as importing the runs one by one in order does', () => {
    const parsed = batch.map((r) => ImportRunSchema.parse(r));
    const oneByOne = seeded();
    const expectedFindings = parsed.map((r) => importRun(oneByOne, r).anomalies);
    const together = seeded();
    const found = together.sql.transaction(() => importRunsInTransaction(together, parsed))();
    const expected = snapshot(oneByOne);
    // the batch trips rules and shares hashes, so the comparison means something
    expect(expected.anomalies.map((a) => (a as { rule: string }).rule)).toEqual(
      expect.arrayContaining(['duplicate', 'failed_with_error', 'nan_loss', 'inf_loss']),
    );
    expect(snapshot(together)).toEqual(expected);
    // the findings returned per run are the ones stored for it (the last import of a repeated id wins)
    expect(found.map((f) => f.id)).toEqual(parsed.map((r) => r.id));
    expect(found.slice(0, -2)).toEqual(
      expectedFindings.slice(0, -2).map((anomalies, i) => ({ id: parsed[i]!.id, anomalies })),
    );
  });

  it('writes nothing when a row fails: the caller rolls the transaction back whole', () => {
    const t = seeded();
    const before = snapshot(t);
    t.sql.exec(
      bySql(t.sql, {
        sqlite: `CREATE TRIGGER boom BEFORE INSERT ON metrics WHEN NEW.run_id = 'n2'
          BEGIN SELECT RAISE(ABORT, 'disk says no'); END`,
        postgres: `CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN IF NEW.run_id = 'n2' THEN RAISE EXCEPTION 'disk says no'; END IF; RETURN NEW; END $$;
          CREATE TRIGGER boom BEFORE INSERT ON metrics FOR EACH ROW EXECUTE FUNCTION boom()`,
      }),
    );
    const parsed = batch.map((r) => ImportRunSchema.parse(r));
    expect(() => t.sql.transaction(() => importRunsInTransaction(t, parsed))()).toThrow(/disk says no/);
    expect(snapshot(t)).toEqual(before);
  });
});
