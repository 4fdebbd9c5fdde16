// The native-rtneural gate through promote() on a real store, with the native check injected as the CLI
// does. The outcomes here stand in for the runner (its real runs are tested in tools/cli and
// libs/rtneural-native); what is tested is how the gate judges them and what promotion does with that.
import { afterEach, describe, expect, it } from 'vitest';
import type { Tracker } from '@kelly/tracking';
import type { GateReport, NativeRtneuralCheck } from './gate-types';
import { promote, previewGates, PromotionRefusedError } from './promote';
import { getModel } from './queries';
import { acceptAll, craftRun, nativePass, nativeRan, tempTracker } from './test-support/craft-run';

const trackers: Tracker[] = [];
const open = () => {
  const t = tempTracker();
  trackers.push(t);
  return t;
};
afterEach(() => {
  for (const t of trackers.splice(0)) t.close();
});

const UNAVAILABLE =
  "native RTNeural unavailable: no RTNeural checkout; set KELLY_RTNEURAL_DIR (or --rtneural-dir) to an RTNeural checkout such as the plugin's submodule, and install a C++17 compiler (g++)";
const unavailable: NativeRtneuralCheck = async () => ({ status: 'unavailable', reason: UNAVAILABLE });

async function refusal(t: Tracker, runId: string, checkNative?: NativeRtneuralCheck) {
  const e = await promote(t, { runId, alias: 'production', validateModel: acceptAll, checkNative }).catch(
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(PromotionRefusedError);
  return e as PromotionRefusedError;
}
const nativeGate = (r: GateReport) => r.gates.find((g) => g.gate === 'native-rtneural')!;

describe('native-rtneural gate', () => {
  it('passes with the native and the TypeScript figures side by side', async () => {
    const t = open();
    const runId = await craftRun(t);
    const seen: { modelPath: string; heldOutPath: string }[] = [];
    const r = await promote(t, {
      runId,
      alias: 'production',
      validateModel: acceptAll,
      checkNative: async (input) => {
        seen.push(input);
        return nativeRan();
      },
    });
    expect(seen[0]!.modelPath).toMatch(/model\.json$/);
    expect(seen[0]!.heldOutPath).toMatch(/held-out\.json$/);
    const g = nativeGate(r.gateReport);
    expect(g).toMatchObject({ verdict: 'pass' });
    expect(g.summary).toBe(
      'max |RTNeural − tfjs| 2.00e-7 ≤ 1.00e-4 on 1 clips; median 0.01 / p99 0.02 ms/frame over 2000 frames = 0.13 % of the 16 ms hop (within 25 %); TypeScript reference 0.5 ms/frame, error 2.00e-6',
    );
    expect(g.evidence).toMatchObject({
      native: { maxAbsErr: 2e-7, timing: { medianMs: 0.01, p99Ms: 0.02 }, hopShareP99: 0.02 / 16 },
      typescript: { maxAbsErr: 2e-6, frameMs: 0.5, hopShare: 0.5 / 16 },
      limits: { tolerance: 1e-4, hopMs: 16, maxHopShare: 0.25, budgetMs: 4, minFrames: 1000 },
    });
  });

  it('production without a checkout or compiler is refused with the one-line reason; --force passes, recorded', async () => {
    const t = open();
    const runId = await craftRun(t);
    const e = await refusal(t, runId, unavailable);
    expect(e.report.failed).toEqual(['native-rtneural']);
    expect(nativeGate(e.report)).toMatchObject({ verdict: 'fail', summary: UNAVAILABLE });
    expect(e.message).toBe(
      `promotion refused: native-rtneural: ${UNAVAILABLE} (override with --force --reason "…")`,
    );
    expect(e.message).not.toContain('\n');
    const forced = await promote(t, {
      runId,
      alias: 'production',
      validateModel: acceptAll,
      checkNative: unavailable,
      force: true,
      reason: 'no compiler on this machine',
    });
    expect(forced.forced).toBe(true);
    expect(getModel(t, 'melodytransformer').history[0]).toMatchObject({
      forced: true,
      reason: 'no compiler on this machine',
      gateReport: { failed: ['native-rtneural'] },
    });
  });

  it('staging without a toolchain skips the gate (with the reason); production needs it', async () => {
    const t = open();
    const runId = await craftRun(t);
    const r = await promote(t, {
      runId,
      alias: 'staging',
      validateModel: acceptAll,
      checkNative: unavailable,
    });
    expect(nativeGate(r.gateReport)).toMatchObject({ verdict: 'skipped', summary: UNAVAILABLE });
    expect((await refusal(t, runId)).report.gates.find((g) => g.gate === 'native-rtneural')).toMatchObject({
      verdict: 'fail',
      summary: 'no native RTNeural check was supplied',
    });
  });

  it("a model RTNeural rejects fails with RTNeural's reason, for any alias", async () => {
    const t = open();
    const runId = await craftRun(t);
    const reject: NativeRtneuralCheck = async () => ({
      status: 'failed',
      stage: 'parse',
      reason: '[json.exception.type_error.304] cannot use at() with number',
    });
    const e = (await promote(t, {
      runId,
      alias: 'staging',
      validateModel: acceptAll,
      checkNative: reject,
    }).catch((err: unknown) => err)) as PromotionRefusedError;
    expect(nativeGate(e.report).summary).toBe(
      'RTNeural rejected the model: [json.exception.type_error.304] cannot use at() with number',
    );
  });

  it('outputs off by more than 1e-4, a p99 over the margin, or too few timed frames fail', async () => {
    const t = open();
    const runId = await craftRun(t);
    const off = await refusal(t, runId, async () => nativeRan({ maxAbsErr: 3e-4 }));
    expect(nativeGate(off.report).summary).toMatch(/^max \|RTNeural − tfjs\| 3.00e-4 > 1.00e-4/);
    const slow = nativeRan();
    slow.timing.p99Ms = 5;
    expect(nativeGate((await refusal(t, runId, async () => slow)).report).summary).toContain(
      'p99 5 ms/frame over 2000 frames = 31 % of the 16 ms hop (over 25 %)',
    );
    const few = nativeRan();
    few.timing.frames = 500;
    expect(nativeGate((await refusal(t, runId, async () => few)).report).summary).toContain(
      '(too few frames for 25 %)',
    );
  });

  it('a run without held-out clips, or a check that throws, is a failed gate, not a crash', async () => {
    const t = open();
    const bare = await craftRun(t, { heldOut: false });
    expect(nativeGate((await refusal(t, bare, nativePass)).report).summary).toBe(
      "the run recorded no held-out clips (artifact 'rtneural-held-out'); retrain it to record them",
    );
    const runId = await craftRun(t);
    const report = await previewGates(t, runId, 'production', {
      validateModel: acceptAll,
      checkNative: async () => {
        throw new Error('runner vanished');
      },
    });
    expect(nativeGate(report)).toMatchObject({
      verdict: 'fail',
      summary: 'native run failed (check): runner vanished',
    });
  });
});
