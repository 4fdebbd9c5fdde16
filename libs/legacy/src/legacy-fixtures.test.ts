import { fixture } from '@kelly/test-support';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readLegacyFile } from './read-legacy-file';

const legacyLogs = fixture('legacy-logs');
const kellyFixtures = fixture('kelly');
const LOGS = legacyLogs.path;
const KELLY = kellyFixtures.path;

type Expected = 'FINISHED' | 'FAILED' | 'KILLED' | 'unparseable';
/** The README's table (legacy-logs/README.md), statuses per issue 4: Ctrl-C (`error: ""`) → KILLED. */
const EXPECTED: Record<string, Expected> = {
  'melodytransformer_20251226_084512.json': 'FAILED',
  'melodytransformer_20251226_090233.json': 'FAILED',
  'melodytransformer_20251226_092149.json': 'FINISHED',
  'melodytransformer_20251226_131507.json': 'FINISHED',
  'melodytransformer_20251227_093355.json': 'FINISHED',
  'melodytransformer_20251227_113020.json': 'FAILED',
  'melodytransformer_20251228_143012.json': 'unparseable',
  'melodytransformer_20251228_201500.json': 'KILLED',
  'melodytransformer_20260104_074804.json': 'FINISHED',
  'groovepredictor_20251226_081955.json': 'FAILED',
  'groovepredictor_20251226_082640.json': 'FINISHED',
  'groovepredictor_20251226_083227.json': 'FINISHED',
  'groovepredictor_20251227_101844.json': 'FINISHED',
  'groovepredictor_20251228_150001.json': 'unparseable',
  'groovepredictor_20251229_120930.json': 'FINISHED',
  'groovepredictor_20260104_064832.json': 'FINISHED',
  'groovepredictor_20260104_070400.json': 'FAILED',
  'groovepredictor_20260104_072122.json': 'FINISHED',
  'emotionrecognizer_20251226_094410.json': 'FAILED',
  'emotionrecognizer_20251226_095941.json': 'FINISHED',
  'emotionrecognizer_20251226_095941 copy.json': 'FINISHED',
  'emotionrecognizer_20251227_154210.json': 'FINISHED',
  'emotionrecognizer_20251228_110245.json': 'FINISHED',
  'emotionrecognizer_20251228_172233.json': 'FAILED',
  'emotionrecognizer_20251229_081500.json': 'unparseable',
  'emotionrecognizer_20260104_064619.json': 'FINISHED',
  'emotionrecognizer_20260104_074506.json': 'FINISHED',
  'emotionnodeclassifier_20251226_111845.json': 'FAILED',
  'emotionnodeclassifier_20251226_113402.json': 'FINISHED',
  'emotionnodeclassifier_20251228_090112.json': 'FINISHED',
  'emotionnodeclassifier_20251229_140812.json': 'FINISHED',
  'harmonypredictor_20260104_070315.json': 'FAILED',
};

const read = (dir: string, name: string) => readLegacyFile(readFileSync(join(dir, name)));

describe.skipIf(!legacyLogs.present)(`legacy-logs fixtures (${legacyLogs.needs})`, () => {
  it('the table covers every .json file in the folder', () => {
    const files = readdirSync(LOGS).filter((f) => f.endsWith('.json'));
    expect(files.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))('%s → %s', (file, expected) => {
    const r = read(LOGS, file);
    if (expected === 'unparseable') {
      expect(r.outcome).toBe('unparseable');
      if (r.outcome === 'unparseable') expect(r.reason.length).toBeGreaterThan(10);
      return;
    }
    expect(r.outcome).toBe('run');
    if (r.outcome !== 'run') return;
    expect(r.record.status).toBe(expected);
    expect(r.record.id).toBe(file.replace(/( copy)?\.json$/, ''));
    expect(file.startsWith(r.record.experiment + '_')).toBe(true);
    expect(r.record.config.model_id).toBe(r.record.experiment);
    expect(r.record.startedAtLocal).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/);
    expect(r.record.error === null).toBe(expected !== 'FAILED');
  });

  it('gives the byte offset where the truncated file ends and the console-text file stops being JSON', () => {
    const truncated = read(LOGS, 'melodytransformer_20251228_143012.json');
    const size = readFileSync(join(LOGS, 'melodytransformer_20251228_143012.json')).length;
    expect(truncated).toMatchObject({ outcome: 'unparseable', offset: size });
    expect(read(LOGS, 'emotionrecognizer_20251229_081500.json')).toMatchObject({
      outcome: 'unparseable',
      offset: 4,
    });
    expect(read(LOGS, 'groovepredictor_20251228_150001.json')).toMatchObject({
      outcome: 'unparseable',
      offset: null,
    });
  });

  it('keeps NaN/Infinity faithfully and leaves untouched defaults of failed runs out of the metrics', () => {
    const diverged = read(LOGS, 'melodytransformer_20251227_093355.json');
    if (diverged.outcome !== 'run') throw new Error('expected a run');
    expect(diverged.record.summary.final_train_loss).toBeNaN();
    expect(diverged.record.summary.best_val_loss).toBe(Infinity);
    expect(diverged.record.metrics.find((m) => m.key === 'best_val_loss')?.value).toBe(Infinity);
    expect(diverged.record.artifacts.map((a) => a.kind)).toEqual(['rtneural-json', 'onnx']);
    expect(diverged.record.artifacts[0]?.path).toMatch(/^\/Users\/kelly-dev\/.*melodytransformer\.json$/);

    const crashed = read(LOGS, 'emotionnodeclassifier_20251226_111845.json');
    if (crashed.outcome !== 'run') throw new Error('expected a run');
    expect(crashed.record.summary).toMatchObject({
      final_train_loss: 0,
      best_val_loss: Infinity,
      best_epoch: 0,
    });
    expect(crashed.record.metrics).toEqual([]);
    expect(crashed.record.error?.message).toBe(
      'mat1 and mat2 shapes cannot be multiplied (16x8192 and 128x512)',
    );

    const lateFailure = read(LOGS, 'melodytransformer_20251227_113020.json');
    if (lateFailure.outcome !== 'run') throw new Error('expected a run');
    expect(lateFailure.record.metrics.map((m) => m.key)).toEqual([
      'train_loss',
      'val_loss',
      'test_loss',
      'best_val_loss',
    ]);
  });

  it('reads the BOM file and the YAML-config file with config kept whole', () => {
    const bom = read(LOGS, 'groovepredictor_20251229_120930.json');
    expect(bom.outcome).toBe('run');
    const yaml = read(LOGS, 'groovepredictor_20251227_101844.json');
    if (yaml.outcome !== 'run') throw new Error('expected a run');
    expect(yaml.record.config.data_path).toContain('${KELLY_AUDIO_DATA_ROOT');
    expect(yaml.record.config.scheduler).toBe('step');
    expect(Object.keys(yaml.record.config)).toHaveLength(40);
  });
});

/** Every file under ../shared/fixtures/kelly: only the one real TrainRun log is a run; the rest is ignored. */
describe.skipIf(!kellyFixtures.present)(`kelly fixtures (${kellyFixtures.needs})`, () => {
  const files = readdirSync(KELLY, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json'));

  it.each(files)('%s', (file) => {
    const r = read(KELLY, file);
    if (file === 'dynamicsengine_20251231_082810.json') {
      expect(r).toMatchObject({
        outcome: 'run',
        record: { status: 'FINISHED', experiment: 'dynamicsengine' },
      });
      if (r.outcome === 'run') expect(r.record.gitCommit).toBe('828f1f3ad6a8');
      return;
    }
    expect(r.outcome).toBe('ignored');
    if (r.outcome !== 'ignored') return;
    expect(r.reason).toMatch(/^not a run log: /);
    const format = r.document?.format ?? null;
    if (file.startsWith('registry') && !file.includes('schema')) expect(format).toBe('registry');
    else if (file.includes('-results')) expect(format).toBe('checkpoint-results');
    else if (file === 'training_curves.json') expect(format).toBe('training-curves');
    else if (file.startsWith('training_results_worker_')) expect(format).toBe('worker-results');
    else if (file.startsWith('validation_results')) expect(format).toBe('validation-results');
    else expect(format).toBeNull();
  });

  it('reads every registry version, including the v1.0 flat layout and the stray top-level keys', () => {
    const v10 = read(KELLY, 'registry-2025-12-23-v1.0-stubs.json');
    if (v10.outcome !== 'ignored' || v10.document?.format !== 'registry')
      throw new Error('expected a registry');
    expect(v10.document.data.registry_version).toBe('1.0');
    expect(v10.document.data.models.every((m) => m.status === 'stub')).toBe(true);
    const latest = read(KELLY, 'registry.json');
    if (latest.outcome !== 'ignored' || latest.document?.format !== 'registry')
      throw new Error('expected a registry');
    const trained = latest.document.data.models.filter((m) => m.status === 'trained');
    expect(trained.map((m) => m.training?.run_id)).toContain('emotionrecognizer_20260104_074506');
    expect(trained.every((m) => m.training?.duration_seconds === 0)).toBe(true);
    expect((latest.document.data as Record<string, unknown>).bestmodel).toMatchObject({
      status: 'integrated',
    });
  });

  it('reads the stringified numpy booleans of validation_results.json as booleans', () => {
    const r = read(KELLY, 'validation_results.json');
    if (r.outcome !== 'ignored' || r.document?.format !== 'validation-results')
      throw new Error('expected validation');
    expect(r.document.data.emotionrecognizer?.latency_ok).toBe(true);
  });
});
