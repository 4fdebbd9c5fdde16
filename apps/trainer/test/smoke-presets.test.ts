import { ingestLegacyFile } from '@kelly/legacy';
import { fixture } from '@kelly/test-support';
import { compareRuns, getRun, openTracker, type RunDetail } from '@kelly/tracking';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/main';
import { MELODY_NOTE_DECODING } from '../src/presets';
import type { ModelKind } from '../src/tasks/task';

/**
 * The acceptance path of issue 6, for real: each trainer's SMOKE preset trains with tfjs-wasm into a
 * temporary KELLY_HOME through `main()`, and the run in the store must be FINISHED with per-epoch
 * metrics, the backend, an RTNeural artifact whose parity is ≤ 1e-4, and a model that beats a trivial
 * baseline on validation.
 */
/** The vendored RTNeural checkout: each smoke model also runs in the real library at export. */
const VENDOR = resolve(process.cwd(), '../shared/vendor/rtneural');
let home = '';
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'kelly-trainer-smoke-'));
});
afterAll(async () => {
  await rm(home, { recursive: true, force: true });
});

async function train(model: ModelKind): Promise<{ code: number; run: RunDetail; out: string[] }> {
  const out: string[] = [];
  const code = await main([model, '--preset', 'smoke', '--home', home, '--progress', 'lines'], {
    out: (l) => out.push(l),
    err: (l) => out.push(l),
    env: { KELLY_RTNEURAL_DIR: VENDOR },
  });
  const id = out.map((l) => /^run (\S+) started/.exec(l)?.[1]).find(Boolean);
  expect(id, out.join('\n')).toBeDefined();
  const tracker = openTracker({ home, handleSignals: false });
  try {
    return { code, run: getRun(tracker, id ?? ''), out };
  } finally {
    tracker.close();
  }
}

const last = (run: RunDetail, key: string): number => {
  const m = run.metrics.find((s) => s.key === key);
  if (!m)
    throw new Error(`run ${run.id} has no metric ${key}; has ${run.metrics.map((s) => s.key).join(', ')}`);
  return m.last;
};

function expectTrackedAndExported(run: RunDetail, code: number, out: string[]): void {
  expect(code, out.join('\n')).toBe(0);
  expect(run.status).toBe('FINISHED');
  // a complete smoke run (every configured epoch, or stopped by early stopping) is not too_short, however fast
  expect(run.anomalies).not.toContain('too_short');
  expect(run.backend).toBe('wasm');
  const epochs = (run.config.training as { epochs: number }).epochs;
  const valLoss = run.metrics.find((m) => m.key === 'val_loss');
  expect(valLoss?.count).toBeGreaterThanOrEqual(Math.min(epochs, 2));
  expect(run.metrics.find((m) => m.key === 'train_loss')?.count).toBeGreaterThan(valLoss?.count ?? 0);
  for (const key of ['lr', 'epoch_time_s', 'samples_per_s', 'best_epoch'])
    expect(
      run.metrics.some((m) => m.key === key),
      key,
    ).toBe(true);
  const kinds = run.artifacts.map((a) => a.kind);
  for (const kind of [
    'rtneural',
    'parity-report',
    'rtneural-held-out',
    'native-report',
    'model',
    'checkpoint',
    'validation-report',
    'model-card',
  ])
    expect(kinds, kind).toContain(kind);
  expect(last(run, 'rtneural_max_abs_err')).toBeLessThanOrEqual(1e-4);
  // the same trained model in real RTNeural (built with g++) matches tfjs predict within the contract
  expect(last(run, 'native_rtneural_max_abs_err')).toBeLessThanOrEqual(1e-4);
  expect(last(run, 'native_rtneural_p99_ms')).toBeGreaterThan(0);
  expect(out.some((l) => /^native rtneural: max \|RTNeural − tfjs\| /.test(l))).toBe(true);
  expect(last(run, 'rtneural_realtime_ratio')).toBeGreaterThan(0);
  expect((run.system as { dataset?: { hash?: string } }).dataset?.hash).toMatch(/^[0-9a-f]{64}$/);
  expect(out.some((l) => l.startsWith('artifacts: '))).toBe(true);
}

const legacyLogs = fixture('legacy-logs');
const LEGACY_LOGS = legacyLogs.path;
const LEGACY_MELODY = 'melodytransformer_20251226_092149';

/**
 * The real melody run next to a legacy melody log imported into the same home: compare shows the legacy
 * settings under the trainer's keys with both values, and both runs have train_loss and val_loss series.
 */
async function expectComparableWithLegacy(liveId: string): Promise<void> {
  if (!legacyLogs.present) return; // (under KELLY_REQUIRE_FIXTURES=1 `fixture` has thrown already)
  const tracker = openTracker({ home, handleSignals: false });
  try {
    const file = join(LEGACY_LOGS, `${LEGACY_MELODY}.json`);
    const d = ingestLegacyFile(tracker, {
      path: file,
      dir: LEGACY_LOGS,
      relPath: `${LEGACY_MELODY}.json`,
      bytes: await readFile(file),
    });
    expect(d.outcome, d.reason ?? '').toBe('imported');
    const c = compareRuns(tracker, { ids: [liveId, LEGACY_MELODY], axis: 'epoch' });
    const both = [
      ...c.config.changed.map((r) => ({ key: r.key, raw: r.rawKeys, n: Object.keys(r.values).length })),
      ...c.config.same.map((r) => ({ key: r.key, raw: r.rawKeys, n: 2 })),
    ].filter((r) => r.raw?.[LEGACY_MELODY]);
    expect(both.map((r) => r.key).sort()).toEqual(
      [
        'data.clipSeconds',
        'features.hop',
        'features.nFft',
        'features.nMels',
        'features.sampleRate',
        'model.layerSizes',
        'modelConfig.dropout',
        'training.batchSize',
        'training.earlyStopping.minDelta',
        'training.earlyStopping.patience',
        'training.epochs',
        'training.lr',
        'training.optimizer',
        'training.schedule.type',
        'training.schedule.warmupEpochs',
        'training.weightDecay',
      ].sort(),
    );
    expect(both.every((r) => r.n === 2)).toBe(true);
    for (const key of ['train_loss', 'val_loss'])
      for (const id of [liveId, LEGACY_MELODY])
        expect(
          c.series.some((s) => s.runId === id && s.key === key && s.points.length > 0),
          `${id} ${key}`,
        ).toBe(true);
    for (const l of c.losses.filter((x) => x.key !== 'final_test_loss'))
      expect(
        Object.values(l.values).every((v) => typeof v === 'number'),
        l.key,
      ).toBe(true);
  } finally {
    tracker.close();
  }
}

describe('smoke presets train, track, export and beat trivial baselines', { timeout: 240_000 }, () => {
  it('melody: frame F1 above the all-zeros and majority-pitch baselines', async () => {
    const { code, run, out } = await train('melody');
    expectTrackedAndExported(run, code, out);
    const f1 = last(run, 'final_val_f1');
    expect(f1).toBeGreaterThan(last(run, 'baseline_f1_all_zeros'));
    expect(f1).toBeGreaterThan(last(run, 'baseline_f1_majority_pitch'));
    const rtn = run.artifacts.find((a) => a.kind === 'rtneural');
    const json = JSON.parse(await readFile(join(home, 'artifacts', rtn?.path ?? ''), 'utf8')) as {
      layers: { type: string; activation: string }[];
    };
    expect(json.layers.map((l) => l.type)).toEqual(['dense', 'lstm', 'dense']);
    expect(json.layers.at(-1)?.activation).toBe('sigmoid');
    expect(existsSync(join(home, 'artifacts', run.id, 'model', 'weights.bin'))).toBe(true);
    // note-level metrics beside frame F1, every epoch, with the decoding recorded in the config and the card
    const epochs = run.metrics.find((m) => m.key === 'val_loss')?.count ?? 0;
    for (const key of [
      'val_note_onset_f1',
      'val_note_offset_f1',
      'val_note_onset_precision',
      'val_note_onset_recall',
    ])
      expect(run.metrics.find((m) => m.key === key)?.count, key).toBe(epochs);
    const onsetF1 = last(run, 'final_val_note_onset_f1');
    expect(onsetF1).toBeGreaterThan(0);
    expect(onsetF1).toBeLessThanOrEqual(1);
    expect(last(run, 'final_val_note_offset_f1')).toBeLessThanOrEqual(onsetF1);
    expect(run.config.noteDecoding).toEqual(MELODY_NOTE_DECODING);
    const card = run.artifacts.find((a) => a.kind === 'model-card');
    const cardText = await readFile(join(home, 'artifacts', card?.path ?? ''), 'utf8');
    expect(cardText).toContain(`p ≥ ${MELODY_NOTE_DECODING.onsetThreshold} (onset threshold)`);
    await expectComparableWithLegacy(run.id);
  });

  it('groove: MAE in ms below predicting the training mean', async () => {
    const { code, run, out } = await train('groove');
    expectTrackedAndExported(run, code, out);
    expect(last(run, 'final_val_mae_ms')).toBeLessThan(last(run, 'baseline_mae_ms_train_mean'));
  });

  it('emotion: clip accuracy above chance and the majority class', async () => {
    const { code, run, out } = await train('emotion');
    expectTrackedAndExported(run, code, out);
    const acc = last(run, 'final_val_accuracy');
    expect(acc).toBeGreaterThan(1 / 7);
    expect(acc).toBeGreaterThan(last(run, 'baseline_accuracy_majority_class'));
    expect(last(run, 'final_val_macro_f1')).toBeGreaterThan(1 / 7);
  });

  it('emotion-node: trains from the bundled hierarchy (no thesaurus folder), coarse and mid heads above chance', async () => {
    const { code, run, out } = await train('emotion-node');
    expectTrackedAndExported(run, code, out);
    expect((run.config.data as { thesaurus: unknown }).thesaurus).toBeNull();
    const acc = last(run, 'final_val_coarse_accuracy');
    expect(acc).toBeGreaterThan(1 / 6);
    expect(acc).toBeGreaterThan(last(run, 'baseline_coarse_accuracy_majority_class'));
    expect(last(run, 'final_val_mid_accuracy')).toBeGreaterThan(1 / 36);
  });
});
