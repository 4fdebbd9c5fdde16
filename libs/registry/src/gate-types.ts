import type { ModelAlias } from '@kelly/tracking/schema';
import { RTNEURAL_CONTRACT } from '@kelly/tracking';

/**
 * Types and default policy of the promotion gates (the checks are in gates.ts).
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
  'native-rtneural',
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

/** What the native RTNeural check reports (structurally the outcome of @kelly/rtneural-native's checkNativeModel). */
export type NativeRtneuralOutcome =
  | {
      status: 'ran';
      /** Max |real RTNeural − tfjs predict| over the held-out clips. */
      maxAbsErr: number;
      clips: number;
      comparedFrames: number;
      timing: {
        clock: string;
        medianMs: number;
        p99Ms: number;
        wallMedianMs: number;
        wallP99Ms: number;
        frames: number;
        warmup: number;
      };
      runner?: { hash: string; rtneuralDir: string; compiler: string; built: boolean };
    }
  | { status: 'failed'; stage: string; reason: string; messages?: readonly string[] }
  | { status: 'unavailable'; reason: string };

/**
 * The port through which the `native-rtneural` gate runs a model in real RTNeural. The registry never imports the
 * native runner (it spawns a C++ build); the CLI and the dashboard inject `checkNativeModel` from
 * @kelly/rtneural-native. `modelPath` is the run's RTNeural export, `heldOutPath` its held-out clips with tfjs outputs.
 */
export type NativeRtneuralCheck = (input: {
  modelPath: string;
  heldOutPath: string;
}) => Promise<NativeRtneuralOutcome>;

export interface GatePolicy {
  /** Max recorded `rtneural_max_abs_err` (TS RTNeural vs tfjs predict). Default 1e-4. */
  maxParityErr: number;
  /** Audio hop the plugin runs one frame per, in ms. Default 16. */
  hopMs: number;
  /** Per-frame inference time must be ≤ hopMs × this. Default 1 (keeps up with real time). */
  maxRealtimeRatio: number;
  /** Real RTNeural's p99 per-frame time must be ≤ hopMs × this. Default RTNEURAL_CONTRACT.nativeHopShare (0.25). */
  nativeMaxHopShare: number;
  /** Fewest timed frames the native figure may rest on. Default 1000. */
  nativeMinFrames: number;
  /**
   * Validation metric compared against the current production version. Default `val_loss`, lower is better.
   * A run's `final_<key>` (the trainer's value for the exported best-epoch model) wins over its last `<key>`.
   */
  validationMetric: { key: string; higherIsBetter: boolean };
}

export const DEFAULT_GATE_POLICY: GatePolicy = {
  maxParityErr: RTNEURAL_CONTRACT.parityTolerance,
  hopMs: RTNEURAL_CONTRACT.hopMs,
  maxRealtimeRatio: 1,
  nativeMaxHopShare: RTNEURAL_CONTRACT.nativeHopShare,
  nativeMinFrames: RTNEURAL_CONTRACT.nativeMinFrames,
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
  /**
   * The native RTNeural check: undefined when no check was supplied; `heldOutPath` null when the run recorded
   * no held-out clips (then `outcome` is null too).
   */
  native?: { heldOutPath: string | null; outcome: NativeRtneuralOutcome | null };
  /** The candidate's validation metric (last logged value). */
  validationValue?: number;
  /** The version the alias points to now (for production: the one to beat), with its metric value. */
  current?: { version: number; runId: string | null; validationValue?: number } | null;
}
