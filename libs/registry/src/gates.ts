import type { ModelAlias } from '@kelly/tracking/schema';
import {
  DEFAULT_GATE_POLICY,
  type GateFacts,
  type GatePolicy,
  type GateReport,
  type GateResult,
  type RtneuralValidation,
  type RtneuralValidator,
} from './gate-types';
import { gateNative } from './native-gate';

export * from './gate-types';

/**
 * Promotion gates as pure functions: facts in (gathered from the store by gate-facts.ts), verdicts out.
 * Each gate reports `pass`, `fail` or `skipped` (only `no_regression` for non-production aliases) with the
 * evidence a person needs to see why. Missing evidence is a failure, never a pass.
 */

const fmt = (x: number) =>
  !Number.isFinite(x)
    ? String(x)
    : x !== 0 && Math.abs(x) < 1e-3
      ? x.toExponential(2)
      : Number(x.toPrecision(4)).toString();

function gateArtifact(f: GateFacts): GateResult {
  const a = f.artifact;
  if (!a)
    return {
      gate: 'artifact',
      verdict: 'fail',
      summary: "the run recorded no artifact of kind 'rtneural'",
      evidence: {},
    };
  const evidence = {
    path: a.path,
    recordedSha256: a.recordedSha256,
    actualSha256: a.actualSha256,
    bytes: a.bytes,
  };
  if (a.actualSha256 === null)
    return { gate: 'artifact', verdict: 'fail', summary: `artifact file missing: ${a.path}`, evidence };
  if (a.recordedSha256 && a.recordedSha256 !== a.actualSha256) {
    return {
      gate: 'artifact',
      verdict: 'fail',
      summary: `artifact changed since it was logged (sha256 mismatch): ${a.path}`,
      evidence,
    };
  }
  return {
    gate: 'artifact',
    verdict: 'pass',
    summary: `${a.path} sha256 ${a.actualSha256.slice(0, 12)}…`,
    evidence,
  };
}

function gateFinished(f: GateFacts): GateResult {
  const ok = f.run.status === 'FINISHED';
  return {
    gate: 'run_finished',
    verdict: ok ? 'pass' : 'fail',
    summary: ok ? 'run FINISHED' : `run status is ${f.run.status}, not FINISHED`,
    evidence: { status: f.run.status },
  };
}

function gateAnomalies(f: GateFacts): GateResult {
  const errors = f.anomalies.filter((a) => a.severity === 'error');
  return {
    gate: 'no_error_anomalies',
    verdict: errors.length === 0 ? 'pass' : 'fail',
    summary:
      errors.length === 0
        ? 'no error-severity anomaly'
        : `error anomalies: ${errors.map((a) => a.rule).join(', ')}`,
    evidence: { errors, warnings: f.anomalies.filter((a) => a.severity !== 'error').map((a) => a.rule) },
  };
}

function gateValid(f: GateFacts, validate: RtneuralValidator | undefined): GateResult {
  const g = 'rtneural_valid' as const;
  if (!f.model)
    return { gate: g, verdict: 'fail', summary: 'no readable RTNeural artifact to validate', evidence: {} };
  if (!f.model.ok)
    return {
      gate: g,
      verdict: 'fail',
      summary: `artifact is not valid JSON: ${f.model.error}`,
      evidence: { error: f.model.error },
    };
  if (!validate)
    return { gate: g, verdict: 'fail', summary: 'no strict RTNeural validator was supplied', evidence: {} };
  let result: RtneuralValidation;
  try {
    result = validate(f.model.json);
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    return { gate: g, verdict: 'fail', summary: `validator threw: ${error}`, evidence: { error } };
  }
  return {
    gate: g,
    verdict: result.ok ? 'pass' : 'fail',
    summary: result.ok
      ? 'strict RTNeural validation passed'
      : `${result.errors.length} problem(s): ${result.errors[0] ?? ''}`,
    evidence: { errors: [...result.errors] },
  };
}

function gateParity(f: GateFacts, p: GatePolicy): GateResult {
  const v = f.parityErr;
  const evidence = { metric: 'rtneural_max_abs_err', value: v ?? null, threshold: p.maxParityErr };
  if (v === undefined)
    return {
      gate: 'parity',
      verdict: 'fail',
      summary: 'no rtneural_max_abs_err recorded on the run',
      evidence,
    };
  const ok = Number.isFinite(v) && v <= p.maxParityErr;
  return {
    gate: 'parity',
    verdict: ok ? 'pass' : 'fail',
    summary: `rtneural_max_abs_err ${fmt(v)} ${ok ? '≤' : '>'} ${fmt(p.maxParityErr)}`,
    evidence,
  };
}

function gateRealtime(f: GateFacts, p: GatePolicy): GateResult {
  const { frameMs, ratio: recordedRatio } = f.realtime;
  const ratio = recordedRatio ?? (frameMs !== undefined ? frameMs / p.hopMs : undefined);
  const budgetMs = p.hopMs * p.maxRealtimeRatio;
  const evidence = {
    frameMs: frameMs ?? null,
    ratio: ratio ?? null,
    hopMs: p.hopMs,
    maxRatio: p.maxRealtimeRatio,
    budgetMs,
  };
  if (ratio === undefined) {
    return {
      gate: 'realtime',
      verdict: 'fail',
      summary: 'no per-frame inference time (rtneural_frame_ms) recorded',
      evidence,
    };
  }
  const ok = Number.isFinite(ratio) && ratio >= 0 && ratio <= p.maxRealtimeRatio;
  const ms = frameMs !== undefined ? `${fmt(frameMs)} ms/frame, ` : '';
  return {
    gate: 'realtime',
    verdict: ok ? 'pass' : 'fail',
    summary: `${ms}${fmt(ratio)}× the ${p.hopMs} ms hop (${ok ? 'within' : 'over'} budget ${fmt(p.maxRealtimeRatio)}×)`,
    evidence,
  };
}

function gateRegression(f: GateFacts, alias: ModelAlias, p: GatePolicy): GateResult {
  const { key, higherIsBetter } = p.validationMetric;
  const cur = f.current ?? null;
  const evidence = {
    metric: key,
    higherIsBetter,
    candidate: f.validationValue ?? null,
    current: cur ? { version: cur.version, runId: cur.runId, value: cur.validationValue ?? null } : null,
  };
  if (alias !== 'production')
    return { gate: 'no_regression', verdict: 'skipped', summary: `only checked for production`, evidence };
  const v = f.validationValue;
  if (v === undefined || !Number.isFinite(v)) {
    return { gate: 'no_regression', verdict: 'fail', summary: `candidate has no finite ${key}`, evidence };
  }
  if (!cur)
    return {
      gate: 'no_regression',
      verdict: 'pass',
      summary: `no current production version; ${key} ${fmt(v)}`,
      evidence,
    };
  const c = cur.validationValue;
  if (c === undefined || !Number.isFinite(c)) {
    return {
      gate: 'no_regression',
      verdict: 'pass',
      summary: `current production v${cur.version} has no finite ${key}; candidate ${fmt(v)}`,
      evidence,
    };
  }
  const ok = higherIsBetter ? v >= c : v <= c;
  return {
    gate: 'no_regression',
    verdict: ok ? 'pass' : 'fail',
    summary: `${key} ${fmt(v)} vs production v${cur.version} ${fmt(c)} (${ok ? 'not worse' : 'worse'})`,
    evidence,
  };
}

/** Runs every gate. `passed` is true when no gate failed. */
export function evaluateGates(
  facts: GateFacts,
  opts: { alias: ModelAlias; validate?: RtneuralValidator; policy?: Partial<GatePolicy>; now?: Date },
): GateReport {
  const policy = { ...DEFAULT_GATE_POLICY, ...opts.policy };
  const gates = [
    gateArtifact(facts),
    gateFinished(facts),
    gateAnomalies(facts),
    gateValid(facts, opts.validate),
    gateParity(facts, policy),
    gateRealtime(facts, policy),
    gateNative(facts, opts.alias, policy),
    gateRegression(facts, opts.alias, policy),
  ];
  const failed = gates.filter((g) => g.verdict === 'fail').map((g) => g.gate);
  return {
    model: facts.run.experiment,
    runId: facts.run.id,
    alias: opts.alias,
    checkedAt: (opts.now ?? new Date()).toISOString(),
    passed: failed.length === 0,
    failed,
    gates,
    policy,
  };
}
