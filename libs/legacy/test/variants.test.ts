import { ImportRunSchema } from '@kelly/tracking';
import { describe, expect, it } from 'vitest';
import { prepareLegacyFile } from '../src/prepare-file';
import { legacyLogs } from './support';
import {
  configMissing,
  configNull,
  extraKeys,
  flattenConfig,
  jsResave,
  noRunId,
  numbersAsStrings,
  olderFieldNames,
  pythonDump,
  timestamps,
  withBom,
  withCrlf,
  withHistory,
} from './legacy-transforms';
import {
  baseline,
  importText,
  memoryTracker,
  points,
  runFixtures,
  sameNumber,
  viewRun,
  type RunFixture,
  type RunView,
} from './variant-support';

type Obj = Record<string, unknown>;
const FIXTURES = runFixtures();
const BASE = new Map(FIXTURES.map((f) => [f.name, baseline(f)]));

/** Imports `text` (under the fixture's own file name unless `relPath` is given) into a fresh store. */
function importVariant(f: RunFixture, text: string, relPath = f.name): RunView {
  const t = memoryTracker();
  try {
    const d = importText(t, relPath, text);
    expect(d.outcome, `${f.name}: ${d.reason ?? ''}`).toBe('imported');
    return viewRun(t, d.runId!);
  } finally {
    t.close();
  }
}

/** The same run, status, final losses and anomaly flags as the untransformed fixture. */
function expectSameRun(f: RunFixture, got: RunView) {
  const want = BASE.get(f.name)!;
  expect(got.id, f.name).toBe(want.id);
  expect(got.experiment, f.name).toBe(want.experiment);
  expect(got.status, f.name).toBe(want.status);
  for (const [k, v] of Object.entries(want.finals))
    expect(sameNumber(got.finals[k], v), `${f.name} ${k}: ${got.finals[k]} vs ${v}`).toBe(true);
  expect(got.flags, f.name).toEqual(want.flags);
}

const each = (transform: (doc: Obj) => Obj, dump: (doc: Obj) => string = (d) => pythonDump(d)) =>
  FIXTURES.map((f) => ({ f, got: importVariant(f, dump(transform(f.doc))) }));

describe.skipIf(FIXTURES.length === 0)(
  `every TrainRun variant, from the shared fixtures transformed as the old tools did (${legacyLogs.needs})`,
  () => {
    it('has the shared run logs to start from (29 that parse)', () => {
      expect(FIXTURES.length).toBe(29);
      expect(BASE.get('melodytransformer_20251228_201500.json')?.status).toBe('KILLED');
    });

    it('json.dump(default=str): numbers, booleans and non-finite values as strings', () => {
      for (const { f, got } of each(numbersAsStrings)) {
        expectSameRun(f, got);
        expect(
          got.notes.some((n) => /^success: the string "(True|False)" read as (true|false)$/.test(n)),
          f.name,
        ).toBe(true);
        expect(typeof got.config.learning_rate, f.name).toBe('number');
      }
      const nan = importVariant(
        FIXTURES.find((f) => f.name === 'melodytransformer_20251227_093355.json')!,
        pythonDump(
          numbersAsStrings(FIXTURES.find((f) => f.name === 'melodytransformer_20251227_093355.json')!.doc),
        ),
      );
      expect(nan.notes).toContain('final_train_loss: the string "nan" read as NaN');
      expect(nan.notes).toContain('best_val_loss: the string "inf" read as Infinity');
      expect(nan.flags).toEqual(expect.arrayContaining(['nan_loss', 'inf_loss']));
    });

    it('older field names: train_loss/val_loss/test_loss, training_date, no end_time, status instead of success, no error', () => {
      for (const { f, got } of each(olderFieldNames)) {
        expectSameRun(f, got);
        expect(got.notes, f.name).toContain('train_loss: the older name of final_train_loss');
        expect(got.notes, f.name).toContain('training_date: the older name of start_time');
        expect(got.startedAt, f.name).toBe(BASE.get(f.name)!.startedAt);
        expect(
          got.notes.some((n) => n.startsWith('status "')),
          f.name,
        ).toBe(true);
      }
    });

    it('config flattened to the top level: the same config, the same run', () => {
      for (const { f, got } of each(flattenConfig)) {
        expectSameRun(f, got);
        expect(got.config, f.name).toEqual(BASE.get(f.name)!.config);
        expect(
          got.notes.some((n) => n.startsWith('config: flattened at the top level')),
          f.name,
        ).toBe(true);
      }
    });

    it('config null or missing: the model id comes from the run id; status and final losses unchanged', () => {
      for (const transform of [configNull, configMissing])
        for (const { f, got } of each(transform)) {
          const want = BASE.get(f.name)!;
          expect([got.id, got.experiment, got.status], f.name).toEqual([
            want.id,
            want.experiment,
            want.status,
          ]);
          for (const [k, v] of Object.entries(want.finals))
            expect(sameNumber(got.finals[k], v), `${f.name} ${k}`).toBe(true);
          expect(got.config, f.name).toEqual({});
          expect(
            got.notes.some((n) => /^config: (null|missing); the model id comes from the run id$/.test(n)),
            f.name,
          ).toBe(true);
          // the loss rules do not need the config
          for (const rule of ['nan_loss', 'inf_loss', 'zero_loss', 'failed_with_error'])
            expect(got.flags.includes(rule), `${f.name} ${rule}`).toBe(want.flags.includes(rule));
        }
    });

    it('an empty or missing run_id is derived from the file name (also for a "… copy.json"), recorded as derived', () => {
      for (const how of ['empty', 'missing'] as const)
        for (const { f, got } of each((d) => noRunId(d, how))) {
          expectSameRun(f, got);
          expect(
            got.notes.some(
              (n) => n.startsWith('run_id: ') && n.includes(`derived from the file name: ${got.id}`),
            ),
            f.name,
          ).toBe(true);
        }
      // without a usable file name: from config.model_id and start_time
      const f = FIXTURES.find((x) => x.name === 'melodytransformer_20251226_092149.json')!;
      const got = importVariant(f, pythonDump(noRunId(f.doc)), 'renamed-by-hand.json');
      expect(got.id).toBe('melodytransformer_20251226_092149');
      expect(got.notes).toContain(
        'run_id: "" (blank); derived from config.model_id and start_time: melodytransformer_20251226_092149',
      );
    });

    it('a JavaScript re-save (JSON.stringify): NaN/Infinity became null and read as not recorded, never 0; 0.0 became 0', () => {
      for (const { f, got } of each(
        (d) => d,
        (d) => jsResave(d),
      )) {
        const want = BASE.get(f.name)!;
        expect([got.id, got.status], f.name).toEqual([want.id, want.status]);
        for (const [k, v] of Object.entries(want.finals)) {
          if (v === undefined || Number.isFinite(v)) expect(got.finals[k], `${f.name} ${k}`).toBe(v);
          else {
            expect(got.finals[k], `${f.name} ${k} (was ${v})`).toBeUndefined();
            expect(
              got.notes.some((n) => n.startsWith(`${k}: null (not recorded`)),
              f.name,
            ).toBe(true);
          }
        }
        // the finite flags stay; only the non-finite evidence is gone with the values
        expect(got.flags, f.name).toEqual(
          want.flags.filter(
            (r) =>
              !(
                ['nan_loss', 'inf_loss'].includes(r) &&
                Object.values(want.finals).some((v) => v !== undefined && !Number.isFinite(v))
              ),
          ),
        );
      }
      const t = memoryTracker();
      const f = FIXTURES.find((x) => x.name === 'melodytransformer_20251227_093355.json')!;
      const d = importText(t, f.name, jsResave(f.doc));
      // no point stands in for the lost NaN (not a 0)
      expect(points(t, d.runId!, 'train_loss')).toEqual([]);
      expect(points(t, d.runId!, 'test_loss').map((p) => p.value)).toEqual([
        BASE.get(f.name)!.finals.final_test_loss,
      ]);
      t.close();
    });

    it('extra keys anywhere are kept (summary extras, tags, config) and change nothing else', () => {
      for (const { f, got } of each(extraKeys)) {
        expectSameRun(f, got);
        expect(got.summary.extra, f.name).toMatchObject({
          n_params: 812_420,
          test_accuracy: 0.61,
          device: 'mps',
          torch_version: '2.5.1',
        });
        expect(got.tags, f.name).toEqual(['legacy', 'onedrive', 'm4']);
        expect(got.config.seed, f.name).toBe(42);
      }
    });

    it('per-epoch history arrays (train_losses/val_losses, history.{train_loss,val_loss,lr}) become metric series', () => {
      const f = FIXTURES.find((x) => x.name === 'groovepredictor_20260104_072122.json')!;
      const want = BASE.get(f.name)!;
      const n = 30;
      const train = Array.from(
        { length: n },
        (_, i) => want.finals.final_train_loss! + 0.5 * (1 - i / (n - 1)),
      );
      const val = Array.from({ length: n }, (_, i) =>
        i === 0 ? want.finals.best_val_loss! : want.finals.final_val_loss! + 0.01 * (i / n),
      );
      for (const style of ['lists', 'history'] as const) {
        const t = memoryTracker();
        const d = importText(t, f.name, pythonDump(withHistory(f.doc, train, val, style)));
        expect(d.outcome).toBe('imported');
        const tl = points(t, d.runId!, 'train_loss');
        expect(tl.map((p) => p.value)).toEqual(train);
        expect(tl.map((p) => p.epoch)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
        expect(points(t, d.runId!, 'val_loss').map((p) => p.value)).toEqual(val);
        expect(points(t, d.runId!, 'lr').length).toBe(style === 'history' ? n : 0);
        // the single final values sit at the last epoch, the summary keeps what the log said
        expect(points(t, d.runId!, 'test_loss')).toEqual([
          { step: n, epoch: n, value: want.finals.final_test_loss, flag: 0 },
        ]);
        const got = viewRun(t, d.runId!);
        expect(got.finals).toEqual(want.finals);
        expect(got.notes.some((x) => x.includes(`${n} epochs imported as the series train_loss`))).toBe(true);
        t.close();
      }
    });

    it('timestamps with Z or +00:00, without fractional seconds; an offset names the instant', () => {
      for (const how of ['Z', '+00:00', 'no-fraction'] as const)
        for (const { f, got } of each((d) => timestamps(d, how))) {
          expectSameRun(f, got);
          expect(Math.abs(got.startedAt - BASE.get(f.name)!.startedAt), `${f.name} ${how}`).toBeLessThan(
            1000,
          );
        }
      const f = FIXTURES.find((x) => x.name === 'melodytransformer_20251226_092149.json')!;
      const plusOne = importVariant(f, pythonDump({ ...f.doc, start_time: '2025-12-26T09:21:49+01:00' }));
      expect(plusOne.startedAt).toBe(Date.UTC(2025, 11, 26, 8, 21, 49));
    });

    it('BOM and CRLF, other indentation and key order: the same run', () => {
      for (const { f, got } of each(
        (d) => d,
        (d) => withBom(withCrlf(pythonDump(d, 4, 'reversed'))),
      )) {
        expectSameRun(f, got);
        expect(got.notes, f.name).toEqual(BASE.get(f.name)!.notes);
      }
    });

    it('a combination of every lossless variant at once still gives the same run', () => {
      const all = (d: Obj) =>
        flattenConfig(olderFieldNames(numbersAsStrings(timestamps(noRunId(d, 'missing'), 'Z'))));
      for (const { f, got } of each(all, (d) => withCrlf(pythonDump(d, 0, 'sorted')))) expectSameRun(f, got);
    });

    it('the run the importer writes without a second zod pass is what ImportRunSchema accepts, for every variant', () => {
      const variants = [
        numbersAsStrings,
        olderFieldNames,
        flattenConfig,
        configNull,
        extraKeys,
        (d: Obj) => noRunId(d),
      ];
      for (const f of FIXTURES)
        for (const v of [(d: Obj) => d, ...variants]) {
          const bytes = new TextEncoder().encode(jsResave(v(f.doc)));
          const p = prepareLegacyFile({ path: `/l/${f.name}`, dir: '/l', relPath: f.name, bytes });
          expect(p.run, f.name).toBeDefined();
          expect(ImportRunSchema.parse(p.run), f.name).toEqual(p.run);
        }
    });

    it('the untouched current-format logs carry no import notes', () => {
      for (const f of FIXTURES) expect(BASE.get(f.name)!.notes, f.name).toEqual([]);
    });
  },
);
