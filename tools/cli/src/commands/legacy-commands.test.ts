import { fixture, spawnWatched } from '@kelly/test-support';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../main';

const here = dirname(fileURLToPath(import.meta.url));
const legacyLogs = fixture('legacy-logs');
const LEGACY_LOGS = legacyLogs.path;
const BIN = join(here, '../../bin/kelly.mjs');
const home = mkdtempSync(join(tmpdir(), 'kelly-cli-legacy-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

async function kelly(...args: string[]) {
  let out = '';
  let err = '';
  const code = await main(['node', 'kelly', '--home', home, ...args], {
    out: (t) => (out += t + '\n'),
    err: (t) => (err += t + '\n'),
  });
  return { code, out, err };
}

/** README of the legacy-logs fixtures: outcome and run status per file (Ctrl-C → KILLED). */
const UNPARSEABLE = [
  'melodytransformer_20251228_143012.json',
  'groovepredictor_20251228_150001.json',
  'emotionrecognizer_20251229_081500.json',
];
const NOT_FINISHED: Record<string, string> = {
  melodytransformer_20251226_084512: 'FAILED',
  melodytransformer_20251226_090233: 'FAILED',
  melodytransformer_20251227_113020: 'FAILED',
  melodytransformer_20251228_201500: 'KILLED',
  groovepredictor_20251226_081955: 'FAILED',
  groovepredictor_20260104_070400: 'FAILED',
  emotionrecognizer_20251226_094410: 'FAILED',
  emotionrecognizer_20251228_172233: 'FAILED',
  emotionnodeclassifier_20251226_111845: 'FAILED',
  harmonypredictor_20260104_070315: 'FAILED',
};

describe.skipIf(!legacyLogs.present)(
  `kelly ingest + kelly runs list --source legacy (end to end; ${legacyLogs.needs})`,
  () => {
    it('ingest --json reports every file with its README outcome; runs list shows statuses and anomaly rules', async () => {
      const r = await kelly('ingest', LEGACY_LOGS, '--json');
      expect(r.code).toBe(0);
      const doc = JSON.parse(r.out) as {
        files: { path: string; outcome: string; reason: string | null; runId: string | null }[];
        totals: Record<string, number>;
      };
      expect(doc.files.map((f) => f.path).sort()).toEqual(
        readdirSync(LEGACY_LOGS)
          .filter((f) => f.endsWith('.json'))
          .sort(),
      );
      for (const f of doc.files) {
        const expected = UNPARSEABLE.includes(f.path)
          ? 'unparseable'
          : f.path.endsWith(' copy.json')
            ? 'duplicate'
            : 'imported';
        expect(f.outcome, f.path).toBe(expected);
        if (expected !== 'imported') expect(f.reason, f.path).toBeTruthy();
      }
      expect(doc.totals).toMatchObject({
        imported: 28,
        duplicate: 1,
        unparseable: 3,
        ignored: 0,
        updated: 0,
      });
      expect(r.err.trim().split('\n')).toHaveLength(32); // one decision line per file, on stderr with --json

      const list = await kelly('runs', 'list', '--source', 'legacy', '--json');
      expect(list.code).toBe(0);
      const runs = (
        JSON.parse(list.out) as {
          runs: { id: string; status: string; source: string; anomalies: string[] }[];
        }
      ).runs;
      expect(runs).toHaveLength(28);
      for (const run of runs) {
        expect(run.source).toBe('legacy');
        expect(run.status, run.id).toBe(NOT_FINISHED[run.id] ?? 'FINISHED');
        if (NOT_FINISHED[run.id] === 'FAILED') expect(run.anomalies, run.id).toContain('failed_with_error');
      }
      const byId = new Map(runs.map((x) => [x.id, x.anomalies]));
      expect(byId.get('melodytransformer_20251227_093355')).toEqual(
        expect.arrayContaining(['nan_loss', 'inf_loss']),
      );
      expect(byId.get('groovepredictor_20251226_082640')).toEqual(
        expect.arrayContaining(['zero_loss', 'too_short', 'inf_loss']),
      );
      expect(byId.get('melodytransformer_20251226_092149')).toEqual([]);

      const again = await kelly('ingest', LEGACY_LOGS);
      expect(again.out).toContain(
        '28 imported, 1 duplicate, 0 updated, 3 unparseable, 0 ignored, 0 missing (32 unchanged',
      );
    });

    it('older and re-saved logs: runs show lists the import notes and the conflicting file; compare maps the legacy keys', async () => {
      const dir = join(home, 'variants');
      mkdirSync(dir, { recursive: true });
      const id = 'melodytransformer_20251226_092149';
      const doc = JSON.parse(readFileSync(join(LEGACY_LOGS, `${id}.json`), 'utf8')) as Record<
        string,
        unknown
      >;
      // an earlier TrainRun version, re-saved by default=str: older names, status, strings for numbers
      const { final_train_loss, start_time, success: _s, end_time: _e, ...rest } = doc;
      const older = {
        ...rest,
        train_loss: String(final_train_loss),
        training_date: start_time,
        status: 'trained',
      };
      writeFileSync(
        join(dir, `${id}.json`),
        JSON.stringify({ ...older, run_id: 'old_20251226_092149' }, null, 2),
      );
      // a hand-edited copy with the same run id and another final loss: a conflict, not a second run
      writeFileSync(
        join(dir, 'edited.json'),
        JSON.stringify({ ...older, run_id: 'old_20251226_092149', train_loss: '1.5' }, null, 2),
      );
      const ingest = await kelly('ingest', dir);
      expect(ingest.code).toBe(0);
      expect(ingest.out).toContain('1 imported, 0 duplicate, 1 conflict');
      const show = await kelly('runs', 'show', 'old_20251226_092149');
      expect(show.out).toContain('import notes:');
      expect(show.out).toContain('train_loss: the older name of final_train_loss');
      expect(show.out).toContain('status "trained": read as success');
      expect(show.out).toMatch(
        /conflict {2}.*edited\.json: conflict: run old_20251226_092149 shows melodytransformer_20251226_092149\.json; .*final_train_loss 1\.5 here vs 2\.98/,
      );
      const json = JSON.parse((await kelly('runs', 'show', 'old_20251226_092149', '--json')).out) as {
        importNotes: string[];
        files: { outcome: string }[];
      };
      expect(json.importNotes).toContain(
        'train_loss: the string "2.980784102631434" read as 2.980784102631434',
      );
      expect(json.files.map((f) => f.outcome).sort()).toEqual(['conflict', 'imported']);
      // compare with a legacy run of the current format: the same vocabulary on both sides
      const cmp = JSON.parse((await kelly('compare', 'old_20251226_092149', id, '--json')).out) as {
        config: { same: { key: string; rawKeys?: Record<string, string> }[] };
        losses: { key: string; values: Record<string, number | null> }[];
      };
      expect(cmp.config.same.find((r) => r.key === 'training.lr')?.rawKeys).toEqual({
        old_20251226_092149: 'learning_rate',
        [id]: 'learning_rate',
      });
      expect(cmp.losses.find((l) => l.key === 'final_train_loss')?.values).toEqual({
        old_20251226_092149: 2.980784102631434,
        [id]: 2.980784102631434,
      });
    });

    it('a missing folder is a usage error (exit 2, one line naming it)', async () => {
      const r = await kelly('ingest', join(home, 'nope'));
      expect(r.code).toBe(2);
      expect(r.err.trim()).toBe(`kelly: directory not found: ${join(home, 'nope')}`);
    });
  },
);

describe('kelly watch (child process)', () => {
  it('imports a new file while running and exits 0 on SIGINT', async () => {
    const dir = join(home, 'watched');
    mkdirSync(dir);
    const child = spawnWatched([BIN, '--home', home, 'watch', dir, '--stability-ms', '200'], {
      name: 'kelly watch',
    });
    const out = () => child.output().stdout + child.output().stderr;
    try {
      await child.waitFor('watching ');
      writeFileSync(join(dir, 'plan.json'), '{"plans": []}');
      await child.waitFor('ignored plan.json: not a run log');
      child.proc.kill('SIGINT');
      expect((await child.exited).code).toBe(0);
      expect(out()).toContain('SIGINT: stopping');
      expect(out()).toContain('stopped');
    } finally {
      if (child.proc.exitCode === null) child.proc.kill('SIGKILL');
    }
  });
});
