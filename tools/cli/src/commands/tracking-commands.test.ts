import { importRun, openTracker, withRun } from '@kelly/tracking';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../main';

const home = mkdtempSync(join(tmpdir(), 'kelly-cli-trk-'));
let liveId = '';

async function kelly(...args: string[]) {
  let out = '';
  let err = '';
  const code = await main(['node', 'kelly', '--home', home, ...args], {
    out: (t) => (out += t + '\n'),
    err: (t) => (err += t + '\n'),
  });
  return { code, out, err };
}

beforeAll(async () => {
  const t = openTracker({ home, handleSignals: false });
  importRun(t, {
    id: 'legacy-nan',
    experiment: 'emotionrecognizer',
    status: 'FINISHED',
    startedAt: Date.UTC(2025, 0, 2),
    durationS: 4.2,
    config: { num_classes: 7, epochs: 50, lr: 0.01 },
    metrics: [
      { key: 'loss', step: 0, epoch: 0, value: 1.95 },
      { key: 'loss', step: 1, epoch: 1, value: Number.NaN },
      { key: 'val_loss', step: 1, epoch: 1, value: Number.NEGATIVE_INFINITY },
    ],
  });
  liveId = await withRun(
    t,
    { experiment: 'melodytransformer', config: { lr: 0.001, hidden: 64 }, tags: ['smoke'] },
    (run) => {
      for (let s = 0; s < 5; s++) run.logMetrics({ loss: 1 / (s + 1) }, { step: s, epoch: s });
      return run.id;
    },
  );
  t.close();
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('kelly runs / compare / anomalies', () => {
  it('runs list --json carries id, experiment, status, source, anomalies, startedAt, durationS', async () => {
    const r = await kelly('runs', 'list', '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.runs.map((x: { id: string }) => x.id)).toEqual([liveId, 'legacy-nan']);
    expect(doc.runs[1]).toMatchObject({
      id: 'legacy-nan',
      experiment: 'emotionrecognizer',
      status: 'FINISHED',
      source: 'legacy',
      startedAt: '2025-01-02T00:00:00.000Z',
      durationS: 4.2,
    });
    expect(doc.runs[1].anomalies).toEqual(expect.arrayContaining(['nan_loss', 'inf_loss', 'too_short']));
  });

  it('runs list filters by --experiment, --status, --anomaly, --source', async () => {
    const ids = async (...flags: string[]): Promise<string[]> =>
      (
        JSON.parse((await kelly('runs', 'list', '--json', ...flags)).out) as { runs: { id: string }[] }
      ).runs.map((x) => x.id);
    expect(await ids('--experiment', 'melodytransformer')).toEqual([liveId]);
    expect(await ids('--anomaly', 'nan_loss')).toEqual(['legacy-nan']);
    expect(await ids('--source', 'live')).toEqual([liveId]);
    expect(await ids('--status', 'FAILED')).toEqual([]);
    const first = JSON.parse((await kelly('runs', 'list', '--json', '--limit', '1')).out) as {
      runs: { id: string }[];
      nextCursor: string;
    };
    const second = JSON.parse(
      (await kelly('runs', 'list', '--json', '--limit', '1', '--cursor', first.nextCursor)).out,
    ) as { runs: { id: string }[]; nextCursor: null };
    expect([first.runs[0]!.id, second.runs[0]!.id, second.nextCursor]).toEqual([liveId, 'legacy-nan', null]);
    const text = await kelly('runs', 'list');
    expect(text.out).toMatch(/legacy-nan\s+emotionrecognizer\s+FINISHED\s+legacy/);
  });

  it('runs show --json adds config, metric series with non-finite values as strings, and artifacts', async () => {
    const r = await kelly('runs', 'show', 'legacy-nan', '--json');
    expect(r.code).toBe(0);
    expect(r.out).not.toMatch(/null,\s*"flag"|1\.7976931348623157e\+308/);
    const doc = JSON.parse(r.out);
    expect(doc.config).toEqual({ num_classes: 7, epochs: 50, lr: 0.01 });
    expect(doc.metrics.loss.points.map((p: { value: unknown }) => p.value)).toEqual([1.95, 'NaN']);
    expect(doc.metrics.val_loss.points[0].value).toBe('-Infinity');
    expect(doc.metrics.loss).toMatchObject({ last: 'NaN', min: 1.95, minStep: 0 });
    expect(doc.artifacts).toEqual([]);
    expect(doc.findings.find((f: { rule: string }) => f.rule === 'nan_loss')).toMatchObject({
      firstStep: 1,
      evidence: { value: 'NaN' },
    });
  });

  it('compare --json gives the config diff and series for every run', async () => {
    const r = await kelly('compare', 'legacy-nan', liveId, '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.config.changed).toEqual([{ key: 'lr', values: { 'legacy-nan': 0.01, [liveId]: 0.001 } }]);
    // the legacy run's `epochs` is shown under the trainer's key (vocabulary), its raw key beside it
    expect(doc.config.onlyIn.map((d: { key: string }) => d.key)).toEqual([
      'hidden',
      'num_classes',
      'training.epochs',
    ]);
    expect(doc.config.onlyIn[2].rawKeys).toEqual({ 'legacy-nan': 'epochs' });
    expect(doc.series.map((s: { runId: string; key: string }) => `${s.runId}:${s.key}`)).toEqual([
      'legacy-nan:loss',
      'legacy-nan:val_loss',
      `${liveId}:loss`,
    ]);
    const text = await kelly('compare', 'legacy-nan', liveId);
    expect(text.out).toMatch(/lr\s+0\.01\s+0\.001/);
  });

  it('anomalies [--recheck] --json groups findings by rule', async () => {
    const r = await kelly('anomalies', '--recheck', '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.rechecked.checked).toBe(2);
    const rules = doc.rules.map((g: { rule: string }) => g.rule);
    expect(rules.slice(0, 2)).toEqual(['nan_loss', 'inf_loss']);
    expect(doc.rules[0]).toMatchObject({
      severity: 'error',
      count: 1,
      runs: [{ id: 'legacy-nan', firstStep: 1 }],
    });
  });

  it('bad flags and unknown ids: one line on stderr, exit 2', async () => {
    for (const args of [
      ['runs', 'show', 'no-such-run'],
      ['runs', 'list', '--status', 'DONE'],
      ['runs', 'list', '--anomaly', 'nan'],
      ['runs', 'list', '--source', 'cloud'],
      ['runs', 'list', '--bogus'],
      ['runs', 'list', '--limit', 'ten'],
      ['runs', 'list', '--cursor', 'not-a-cursor'],
      ['compare', liveId, 'missing-run'],
      ['compare', liveId],
      ['compare', liveId, 'legacy-nan', '--axis', 'wall'],
      ['anomalies', '--rule', 'sad_loss'],
    ]) {
      const r = await kelly(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.out).toBe('');
    }
    expect((await kelly('runs', 'show', 'no-such-run')).err).toBe('kelly: unknown run id "no-such-run"\n');
  });

  it('the real `npx kelly` binary prints the same JSON', () => {
    const r = spawnSync('npx', ['kelly', '--home', home, 'runs', 'list', '--json', '--anomaly', 'nan_loss'], {
      encoding: 'utf8',
      cwd: join(import.meta.dirname, '../../../..'),
    });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).runs.map((x: { id: string }) => x.id)).toEqual(['legacy-nan']);
    const bad = spawnSync('npx', ['kelly', '--home', home, 'runs', 'show', 'nope'], {
      encoding: 'utf8',
      cwd: join(import.meta.dirname, '../../../..'),
    });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/kelly: unknown run id "nope"/);
  });
});
