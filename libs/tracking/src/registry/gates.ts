import type { ModelAlias } from '../db/schema';

/**
 * Promotion gates as pure functions: facts in (gathered from the store by gate-facts.ts), verdicts out.
 * Each gate reports `pass`, `fail` or `skipped` (only `no_regression` for non-production aliases) with the
 * evidence a person needs to see why. Missing evidence is a failure, never a pass.
 *
 * The strict RTNeural validator cannot live here (libs/tracking must not import libs/models): it is injected
 * as an `RtneuralValidator` by the caller (the CLI wires `validateRtneuralModel` from @kelly/models).
 */

export const GATE_NAMES = [
  'artifact',
  'run_finished',
  'no_error_anomalies',
  'rtneural_valid',
  'parity',
  'realtime',
  'no_regression',
] as const;
export type GateName = (typeof GATE_NAMES)[number];
/** Gates `--force` cannot override: without an intact artifact there is nothing trustworthy to publish. */
export const UNFORCEABLE_GATES: readonly GateName[] = ['artifact'];

export type GateVerdict = 'pass' | 'fail' | 'skipped';
export interface GateResult {
  gate: GateName;
  verdict: GateVerdict;
  /** One line for people, e.g. `rtneural_max_abs_err 3.2e-6 ≤ 1e-4`. */
  summary: string;
  evidence: Record<string, unknown>;
}

export interface GateReport {
  model: string;
  runId: string;
  alias: ModelAlias;
  /** ISO 8601 UTC. */
  checkedAt: string;
  passed: boolean;
  failed: GateName[];
  gates: GateResult[];
  policy: GatePolicy;
}

/** Result shape of a strict RTNeural validator (e.g. `validateRtneuralModel` from @kelly/models, adapted). */
export interface RtneuralValidation {
  ok: boolean;
  errors: readonly string[];
}
/** Checks a parsed RTNeural model JSON: supported layer types/activations, weight shapes, finite numbers. */
export type RtneuralValidator = (model: unknown) => RtneuralValidation;

export interface GatePolicy {
  /** Max recorded `rtneural_max_abs_err` (TS RTNeural vs tfjs predict). Default 1e-4. */
  maxParityErr: number;
  /** Audio hop the plugin runs one frame per, in ms. Default 16. */
  hopMs: number;
  /** Per-frame inference time must be ≤ hopMs × this. Default 1 (keeps up with real time). */
  maxRealtimeRatio: number;
  /**
   * Validation metric compared against the current production version. Default `val_loss`, lower is better.
   * A run's `final_<key>` (the trainer's value for the exported best-epoch model) wins over its last `<key>`.
   */
  validationMetric: { key: string; higherIsBetter: boolean };
}

export const DEFAULT_GATE_POLICY: GatePolicy = {
  maxParityErr: 1e-4,
  hopMs: 16,
  maxRealtimeRatio: 1,
  validationMetric: { key: 'val_loss', higherIsBetter: false },
};

/** Everything the gates look at, gathered from the store and the artifact file. */
export interface GateFacts {
  run: { id: string; experiment: string; status: string };
  anomalies: { rule: string; severity: string; firstStep: number | null; evidence: unknown }[];
  /** The run's RTNeural artifact, or null when the run recorded none. */
  artifact: {
    path: string;
    recordedSha256: string | null;
    /** sha256 of the file on disk now; null when the file is missing. */
    actualSha256: string | null;
    bytes: number | null;
  } | null;
  /** The artifact parsed as JSON, or the parse error. Undefined when there is no readable artifact. */
  model?: { ok: true; json: unknown } | { ok: false; error: string };
  /** Last recorded `rtneural_max_abs_err`, undefined when never logged. */
  parityErr?: number;
  /** Per-frame inference ms (`rtneural_frame_ms`) and/or its ratio to the hop (`rtneural_realtime_ratio`). */
  realtime: { frameMs?: number; ratio?: number };
  /** The candidate's validation metric (last logged value). */
  validationValue?: number;
  /** The version the alias points to now (for production: the one to beat), with its metric value. */
  current?: { version: number; runId: string | null; validationValue?: number } | null;
}

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
