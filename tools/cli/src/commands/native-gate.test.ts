/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- tests read parsed JSON documents freely */
// `kelly promote` with the native-rtneural gate for real: the runner is built with g++ against the vendored
// RTNeural checkout (../shared/vendor/rtneural) and runs the run's export on its recorded held-out clips.
import { openTracker, type Tracker } from '@kelly/tracking';
import { ensureRunner } from '@kelly/rtneural-native';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CliEnv } from '../env';
import { main } from '../main';

const FIXTURES = resolve(process.cwd(), '../shared/fixtures/rtneural');
const VENDOR = resolve(process.cwd(), '../shared/vendor/rtneural');
const ready = existsSync(FIXTURES) && existsSync(VENDOR);

async function kelly(env: CliEnv, home: string, ...args: string[]) {
  let out = '';
  let err = '';
  const io = { out: (t: string) => (out += `${t}\n`), err: (t: string) => (err += `${t}\n`) };
  const code = await main(['node', 'kelly', '--home', home, ...args], io, env);
  return { code, out, err };
}

const trackers: Tracker[] = [];
afterEach(() => {
  for (const t of trackers.splice(0)) t.close();
});

/** A finished run exporting the `lstm-stacked-melody` test vector, with its inputs/outputs as held-out clips. */
async function craft(
  modelFile = join(FIXTURES, 'lstm-stacked-melody', 'model.json'),
  extra: Record<string, number> = {},
) {
  const home = mkdtempSync(join(tmpdir(), 'kelly-cli-native-'));
  const t = openTracker({ home, handleSignals: false });
  trackers.push(t);
  const run = await t.startRun({ experiment: 'melodytransformer', config: { epochs: 2 } });
  [0.4, 0.3].forEach((v, epoch) => run.logMetrics({ loss: v, val_loss: v }, { step: epoch, epoch }));
  run.logMetrics({ rtneural_max_abs_err: 3e-7, rtneural_frame_ms: 0.7, ...extra }, { step: 2 });
  await run.logArtifact(modelFile, { kind: 'rtneural' });
  const read = (f: string) =>
    JSON.parse(readFileSync(join(FIXTURES, 'lstm-stacked-melody', f), 'utf8')) as number[][];
  const [input, expected] = [read('input.json'), read('expected.json')];
  const heldOut = join(home, 'held-out.json');
  writeFileSync(
    heldOut,
    JSON.stringify({
      format: 'kelly-rtneural-held-out',
      version: 1,
      source: 'RTNeural test vectors',
      inSize: 64,
      outSize: 128,
      clips: [{ input, expected, offset: 0 }],
    }),
  );
  await run.logArtifact(heldOut, { kind: 'rtneural-held-out' });
  await run.end();
  return [home, run.id] as const;
}

const gate = (doc: any) => doc.gateReport.gates.find((g: any) => g.gate === 'native-rtneural');

describe.skipIf(!ready)('kelly promote: the native-rtneural gate (real RTNeural, built with g++)', () => {
  beforeAll(async () => {
    await ensureRunner({ rtneuralDir: VENDOR });
  }, 600_000);

  it('with KELLY_RTNEURAL_DIR: passes, showing max error and per-frame time beside the TypeScript figures', async () => {
    const [home, runId] = await craft();
    const r = await kelly({ KELLY_RTNEURAL_DIR: VENDOR }, home, 'promote', runId, '--alias', 'production');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /✓ native-rtneural +max \|RTNeural − tfjs\| \S+ ≤ 1\.00e-4 on 1 clips; median \S+ \/ p99 \S+ ms\/frame over 2000 frames = \S+ % of the 16 ms hop \(within 25 %\); TypeScript reference 0\.7 ms\/frame, error 3\.00e-7/,
    );
    const doc = JSON.parse((await kelly({}, home, 'models', 'show', 'melodytransformer', '--json')).out);
    const g = doc.history[0].gateReport.gates.find((x: any) => x.gate === 'native-rtneural');
    expect(g.evidence.native.maxAbsErr).toBeLessThan(1e-6);
    expect(g.evidence.native.timing.frames).toBeGreaterThanOrEqual(1000);
    expect(g.evidence.typescript).toMatchObject({ maxAbsErr: 3e-7, frameMs: 0.7 });
  });

  it('--rtneural-dir works like the variable', async () => {
    const [home, runId] = await craft();
    const r = await kelly(
      {},
      home,
      'promote',
      runId,
      '--alias',
      'staging',
      '--rtneural-dir',
      VENDOR,
      '--json',
    );
    expect(r.code).toBe(0);
    expect(gate(JSON.parse(r.out))).toMatchObject({ verdict: 'pass' });
  });

  it('without a checkout: refused with the one-line reason; --force --reason passes, recorded as forced', async () => {
    const [home, runId] = await craft();
    const r = await kelly({}, home, 'promote', runId, '--alias', 'production');
    expect(r.code).toBe(1);
    const lines = r.err.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe(
      'kelly: promotion refused: native-rtneural: native RTNeural unavailable: no RTNeural checkout; set KELLY_RTNEURAL_DIR (or --rtneural-dir) to an RTNeural checkout such as the plugin\'s submodule, and install a C++17 compiler (g++) (override with --force --reason "…")',
    );
    expect(r.out).toMatch(/✗ native-rtneural +native RTNeural unavailable/);
    const forced = await kelly(
      {},
      home,
      'promote',
      runId,
      '--alias',
      'production',
      '--force',
      '--reason',
      'no g++ here',
    );
    expect(forced.code).toBe(0);
    expect(forced.out).toMatch(/FORCED: melodytransformer production: nothing → v1/);
    const doc = JSON.parse((await kelly({}, home, 'models', 'show', 'melodytransformer', '--json')).out);
    expect(doc.history[0]).toMatchObject({ forced: true, reason: 'no g++ here' });
    expect(doc.history[0].gateReport.failed).toEqual(['native-rtneural']);
  });

  it('without a compiler: refused, naming g++', async () => {
    const [home, runId] = await craft();
    const env = { KELLY_RTNEURAL_DIR: VENDOR, CXX: 'kelly-no-such-compiler' };
    const r = await kelly(env, home, 'promote', runId, '--alias', 'production');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /native-rtneural: native RTNeural unavailable: no C\+\+17 compiler .* install g\+\+/,
    );
  });

  it("an export RTNeural rejects (wrong weight shape) fails the gate with RTNeural's reason", async () => {
    const [home, runId] = await craft(join(FIXTURES, 'invalid', 'lstm-weights-too-big.json'));
    const r = await kelly(
      { KELLY_RTNEURAL_DIR: VENDOR },
      home,
      'promote',
      runId,
      '--alias',
      'production',
      '--json',
    );
    expect(r.code).toBe(1);
    expect(gate(JSON.parse(r.out))).toMatchObject({
      verdict: 'fail',
      summary:
        'RTNeural rejected the model: vector::_M_range_check: __n (which is 16) >= this->size() (which is 16)',
    });
  });

  it('a model RTNeural crashes on (an activation it cannot parse) is a failed gate, not a crash of kelly', async () => {
    const [home, runId] = await craft(join(FIXTURES, 'invalid', 'activation-gelu.json'));
    const r = await kelly(
      { KELLY_RTNEURAL_DIR: VENDOR },
      home,
      'promote',
      runId,
      '--alias',
      'production',
      '--json',
    );
    expect(r.code).toBe(1);
    expect(gate(JSON.parse(r.out)).summary).toBe(
      'native run failed (crash): the runner crashed (SIGSEGV) after RTNeural printed "activation: gelu"',
    );
  });

  it('runs show puts the native and the TypeScript figures side by side', async () => {
    const [home, runId] = await craft(undefined, {
      native_rtneural_max_abs_err: 2e-7,
      native_rtneural_frame_ms: 0.03,
      native_rtneural_p99_ms: 0.12,
      native_rtneural_hop_share: 0.12 / 16,
    });
    const r = await kelly({}, home, 'runs', 'show', runId);
    expect(r.code).toBe(0);
    expect(r.out).toContain('RTNeural (vs tfjs predict; 16 ms hop):');
    expect(r.out).toMatch(/native \(C\+\+\) +2(\.0+)?e-7 +0\.03 +0\.12 +0\.75 %/);
    expect(r.out).toMatch(/TypeScript +3(\.0+)?e-7 +0\.7 +- +4\.4 %/);
  });
});
