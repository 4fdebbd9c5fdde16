/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- tests read parsed JSON documents freely */
import { fixture, shared } from '@kelly/test-support';
import { openTracker, type Tracker } from '@kelly/tracking';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../main';

const kellyFixtures = fixture('kelly');
const rtneuralFixtures = fixture('rtneural');
const hasShared = kellyFixtures.present && rtneuralFixtures.present;
const LSTM_SMALL = join(rtneuralFixtures.path, 'lstm-small', 'model.json');
const INVALID = join(rtneuralFixtures.path, 'invalid');
/** The vendored RTNeural checkout and g++: the native-rtneural gate that production promotions need. */
const vendor = shared(['vendor', 'rtneural']);
const native = vendor.present && spawnSync('g++', ['--version'], { stdio: 'ignore' }).status === 0;

/**
 * Held-out clips for `modelFile` with its outputs from our TypeScript RTNeural (standing in for tfjs' here);
 * a file it cannot load gets a 1→1 placeholder (its gates fail anyway).
 */
async function heldOutFile(modelFile: string, home: string): Promise<string> {
  // loaded lazily, as the CLI itself loads @kelly/models
  const { loadRtneuralModel } = await import('@kelly/models');
  let doc: object;
  try {
    const m = loadRtneuralModel(JSON.parse(readFileSync(modelFile, 'utf8')));
    const input = Array.from({ length: 8 }, (_, t) =>
      Array.from({ length: m.inSize }, (_, j) => Math.sin(t + j)),
    );
    m.reset();
    const expected = input.map((x) => Array.from(m.forward64(x)));
    doc = { inSize: m.inSize, outSize: m.outSize, clips: [{ input, expected, offset: 0 }] };
  } catch {
    doc = { inSize: 1, outSize: 1, clips: [{ input: [[0]], expected: [[0]], offset: 0 }] };
  }
  const file = join(mkdtempSync(join(home, 'held-out-')), 'held-out.json');
  writeFileSync(
    file,
    JSON.stringify({ format: 'kelly-rtneural-held-out', version: 1, source: 'TypeScript RTNeural', ...doc }),
  );
  return file;
}

/** Writes a small RTNeural model (one dense 1→1 layer, `layer` overriding its fields) into `dir`; returns its path. */
function craftedModel(dir: string, name: string, layer: Record<string, unknown> = {}): string {
  const file = join(dir, `${name}.json`);
  const dense = {
    type: 'dense',
    activation: 'tanh',
    shape: [null, null, 1],
    weights: [[[0.5]], [0.25]],
    ...layer,
  };
  writeFileSync(file, JSON.stringify({ in_shape: [null, null, 1], layers: [dense] }));
  return file;
}

/** Runs `kelly <args>` in-process; returns exit code, stdout and stderr. */
async function kelly(home: string, ...args: string[]) {
  let out = '';
  let err = '';
  const code = await main(
    ['node', 'kelly', '--home', home, ...args],
    {
      out: (t) => (out += `${t}\n`),
      err: (t) => (err += `${t}\n`),
    },
    { KELLY_RTNEURAL_DIR: vendor.path },
  );
  return { code, out, err };
}

const trackers: Tracker[] = [];
afterEach(() => {
  for (const t of trackers.splice(0)) t.close();
});

/** A home with a finished melodytransformer run whose `rtneural` artifact is `modelFile`; returns [home, runId]. */
async function craft(
  modelFile?: string,
  home = mkdtempSync(join(tmpdir(), 'kelly-cli-registry-')),
  valLoss = 0.3,
) {
  const t = openTracker({ home, handleSignals: false });
  trackers.push(t);
  const run = await t.startRun({
    experiment: 'melodytransformer',
    config: { epochs: 2, train: { batchSize: 16, lr: 0.001 } },
  });
  [valLoss + 0.1, valLoss].forEach((v, epoch) =>
    run.logMetrics({ loss: v, val_loss: v }, { step: epoch, epoch }),
  );
  run.logMetrics({ rtneural_max_abs_err: 3e-6, rtneural_frame_ms: 0.7 }, { step: 2 });
  const model = modelFile ?? craftedModel(home, 'crafted');
  await run.logArtifact(model, { kind: 'rtneural' });
  await run.logArtifact(await heldOutFile(model, home), { kind: 'rtneural-held-out' });
  await run.end();
  return [home, run.id] as const;
}

describe('kelly promote | models | rollback', () => {
  it.skipIf(!hasShared || !native)(
    `promote publishes <model>.json + a schema-valid registry.json; models show --json has version, alias, gates (${kellyFixtures.needs}, ${rtneuralFixtures.needs})`,
    async () => {
      const [home, runId] = await craft(LSTM_SMALL);
      const out = join(home, 'plugin-models');
      const p = await kelly(
        home,
        'promote',
        runId,
        '--alias',
        'production',
        '--out',
        out,
        '--by',
        'tester',
        '--note',
        'smoke',
      );
      expect(p.err).toBe('');
      expect(p.code).toBe(0);
      expect(p.out).toMatch(/✓ rtneural_valid +strict RTNeural validation passed/);
      expect(readFileSync(join(out, 'melodytransformer.json')).equals(readFileSync(LSTM_SMALL))).toBe(true);

      const ajv = new Ajv({ allErrors: true, strict: false });
      addFormats(ajv);
      const validate = ajv.compile(
        JSON.parse(readFileSync(join(kellyFixtures.path, 'registry.schema.json'), 'utf8')) as object,
      );
      const registry = JSON.parse(readFileSync(join(out, 'registry.json'), 'utf8'));
      expect(validate(registry), JSON.stringify(validate.errors)).toBe(true);
      expect(registry.models[0]).toMatchObject({
        id: 'melodytransformer',
        status: 'production',
        training: { run_id: runId },
      });

      const show = await kelly(home, 'models', 'show', 'melodytransformer', '--json');
      expect(show.code).toBe(0);
      const doc = JSON.parse(show.out);
      expect(doc.aliases).toMatchObject([{ alias: 'production', version: 1 }]);
      expect(doc.versions[0]).toMatchObject({ version: 1, runId, aliases: ['production'] });
      expect(doc.history[0]).toMatchObject({ action: 'promote', by: 'tester', note: 'smoke', forced: false });
      expect(doc.history[0].gateReport.gates.map((g: any) => g.verdict)).toEqual([
        'pass',
        'pass',
        'pass',
        'pass',
        'pass',
        'pass',
        'pass',
        'pass',
      ]);

      const list = JSON.parse((await kelly(home, 'models', 'list', '--json')).out);
      expect(list.models).toMatchObject([
        { name: 'melodytransformer', versions: 1, aliases: { production: 1 } },
      ]);
    },
  );

  const invalidFiles = rtneuralFixtures.present
    ? readdirSync(INVALID).filter((f) => f.endsWith('.json'))
    : [];
  it.skipIf(!rtneuralFixtures.present)(
    `finds the invalid RTNeural fixtures (${rtneuralFixtures.needs})`,
    () => expect(invalidFiles.length).toBeGreaterThan(5),
  );
  it.each(invalidFiles)('the real strict validator (from @kelly/models) refuses invalid/%s', async (file) => {
    const [home, runId] = await craft(join(INVALID, file));
    const r = await kelly(home, 'promote', runId, '--alias', 'production', '--json');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^kelly: promotion refused: rtneural_valid: .*; native-rtneural: /);
    const doc = JSON.parse(r.out);
    expect(doc.refused).toBe(true);
    expect(doc.gateReport.failed).toEqual(['rtneural_valid', 'native-rtneural']);
    expect(doc.gateReport.gates[3].evidence.errors.length).toBeGreaterThan(0);
    expect(existsSync(join(home, 'models', 'registry.json'))).toBe(false);
  });

  it('--dry-run shows the gates and changes nothing', async () => {
    const home = mkdtempSync(join(tmpdir(), 'kelly-cli-registry-'));
    const [, runId] = await craft(craftedModel(home, 'null-weight', { weights: [[[null]], [0.25]] }), home);
    const r = await kelly(home, 'promote', runId, '--alias', 'production', '--dry-run');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/FAILED \(rtneural_valid, native-rtneural\)/);
    expect(r.out).toMatch(/✗ rtneural_valid .*null/);
    const list = JSON.parse((await kelly(home, 'models', 'list', '--json')).out);
    expect(list.models).toMatchObject([{ name: 'melodytransformer', versions: 0, aliases: {} }]);
  });

  it('--force needs --reason; a forced promotion is shown as forced', async () => {
    const home = mkdtempSync(join(tmpdir(), 'kelly-cli-registry-'));
    const [, runId] = await craft(craftedModel(home, 'dropout', { type: 'dropout' }), home);
    const noReason = await kelly(home, 'promote', runId, '--alias', 'staging', '--force');
    expect(noReason.code).toBe(2);
    expect(noReason.err).toMatch(/--reason: --force needs --reason/);
    const forced = await kelly(
      home,
      'promote',
      runId,
      '--alias',
      'staging',
      '--force',
      '--reason',
      'dropout is identity at inference',
    );
    expect(forced.code).toBe(0);
    expect(forced.out).toMatch(/FORCED: melodytransformer staging: nothing → v1/);
    const doc = JSON.parse((await kelly(home, 'models', 'show', 'melodytransformer', '--json')).out);
    expect(doc.history[0]).toMatchObject({ forced: true, reason: 'dropout is identity at inference' });
  });

  it.skipIf(!native)('rollback republishes the previous file byte for byte', async () => {
    const home = mkdtempSync(join(tmpdir(), 'kelly-cli-registry-'));
    const [, first] = await craft(craftedModel(home, 'first'), home, 0.3);
    const [, second] = await craft(craftedModel(home, 'second', { weights: [[[0.75]], [0.25]] }), home, 0.2);
    const out = join(home, 'out');
    expect((await kelly(home, 'promote', first, '--alias', 'production', '--out', out)).code).toBe(0);
    const before = readFileSync(join(out, 'melodytransformer.json'));
    expect((await kelly(home, 'promote', second, '--alias', 'production', '--out', out)).code).toBe(0);
    const r = await kelly(home, 'rollback', 'melodytransformer', '--alias', 'production', '--out', out);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/v2 → v1 \(rollback\)/);
    expect(readFileSync(join(out, 'melodytransformer.json')).equals(before)).toBe(true);
  });

  it('bad flags and unknown ids exit 2 with one line on stderr', async () => {
    const [home, runId] = await craft();
    for (const args of [
      ['promote', runId, '--alias', 'prod'],
      ['promote', 'no-such-run', '--alias', 'production'],
      ['models', 'show', 'nosuchmodel'],
      ['rollback', 'melodytransformer', '--alias', 'production'],
      ['rollback', 'melodytransformer', '--alias', 'production', '--to', 'x'],
    ]) {
      const r = await kelly(home, ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe.skipIf(!kellyFixtures.present)(
  `kelly models import (the real old registry files; ${kellyFixtures.needs})`,
  () => {
    it('imports legacy registry files once, shows them as legacy versions, names a missing file', async () => {
      const home = mkdtempSync(join(tmpdir(), 'kelly-cli-legacy-'));
      const files = ['registry-2025-12-23-v1.1-stubs.json', 'registry.json'].map((f) =>
        join(kellyFixtures.path, f),
      );
      const first = await kelly(home, 'models', 'import', ...files, '--json');
      expect(first.code).toBe(0);
      const doc = JSON.parse(first.out);
      expect(doc.files.map((f: any) => f.created)).toEqual([5, 7]);
      const again = JSON.parse((await kelly(home, 'models', 'import', ...files, '--json')).out);
      expect(again.files.map((f: any) => f.created)).toEqual([0, 0]);
      const show = JSON.parse((await kelly(home, 'models', 'show', 'melodytransformer', '--json')).out);
      expect(show.versions.map((v: any) => [v.status, v.legacy])).toEqual([
        ['trained', true],
        ['stub', true],
      ]);
      const missing = await kelly(home, 'models', 'import', join(home, 'nope.json'));
      expect(missing.code).toBe(2);
      expect(missing.err).toMatch(/no such file: .*nope\.json/);
    });
  },
);
