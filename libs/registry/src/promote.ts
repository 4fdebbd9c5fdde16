import { userInfo } from 'node:os';
import { z } from 'zod';
import { MODEL_ALIASES, type JsonObject, type ModelAlias } from '@kelly/tracking/schema';
import type { Tracker } from '@kelly/tracking';
import type { LockOptions } from './atomic-file';
import { gatherGateFacts } from './gate-facts';
import {
  DEFAULT_GATE_POLICY,
  evaluateGates,
  UNFORCEABLE_GATES,
  type GatePolicy,
  type GateReport,
  type NativeRtneuralCheck,
  type RtneuralValidator,
} from './gates';
import { gatherNative } from './native-gate';
import { buildModelEntry } from './model-entry';
import { publishModel, type PublishResult } from './publish';
import {
  findRunVersion,
  getVersionById,
  insertVersion,
  moveAlias,
  writeTx,
  type VersionRow,
} from './registry-store';
import { summarizeRtneural, type RtneuralSummary } from './rtneural-summary';

export interface PromoteOptions {
  runId: string;
  alias: ModelAlias;
  note?: string;
  /** Models folder to publish into (production only). Default `<KELLY_HOME>/models`. */
  outDir?: string;
  /** Override failed gates (all but `artifact`); needs `reason`. Recorded as forced. */
  force?: boolean;
  reason?: string;
  /** Who promotes; default the OS user. */
  by?: string;
  /**
   * The strict RTNeural validator. libs/tracking cannot import @kelly/models, so the caller injects it (the CLI
   * passes `validateRtneuralModel`). Without it the `rtneural_valid` gate fails.
   */
  validateModel?: RtneuralValidator;
  /**
   * Runs the export in real RTNeural (the CLI and the dashboard pass `checkNativeModel` from
   * @kelly/rtneural-native). Without it the `native-rtneural` gate fails for production.
   */
  checkNative?: NativeRtneuralCheck;
  policy?: Partial<GatePolicy>;
  lock?: LockOptions;
}

export interface PromoteResult {
  model: string;
  version: number;
  versionId: number;
  alias: ModelAlias;
  /** Version number the alias pointed to before, null if none. */
  fromVersion: number | null;
  forced: boolean;
  gateReport: GateReport;
  published: PublishResult | null;
  eventId: number;
}

/** Promotion refused by failed gates; carries the report so callers can show every verdict. */
export class PromotionRefusedError extends Error {
  constructor(
    readonly report: GateReport,
    message: string,
  ) {
    super(message);
  }
}

const OptionsSchema = z.object({
  runId: z.string().min(1, 'runId must not be empty'),
  alias: z.enum(MODEL_ALIASES),
  note: z.string().optional(),
  force: z.boolean().optional(),
  reason: z.string().trim().min(1, 'reason must not be empty').optional(),
  by: z.string().trim().min(1, 'by must not be empty').optional(),
});

/** Who acts: `--by`, else the OS user name. */
export function actor(by?: string): string {
  if (by) return by;
  try {
    return userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The gate report for promoting `runId` to `alias`, without changing anything (the dashboard's preview). */
export async function previewGates(
  tracker: Tracker,
  runId: string,
  alias: ModelAlias,
  opts: {
    validateModel?: RtneuralValidator;
    checkNative?: NativeRtneuralCheck;
    policy?: Partial<GatePolicy>;
  } = {},
): Promise<GateReport> {
  const policy = { ...DEFAULT_GATE_POLICY, ...opts.policy };
  const g = gatherGateFacts(tracker, runId, alias, policy);
  const native = await gatherNative(tracker, runId, g.artifactAbsPath, opts.checkNative);
  return evaluateGates({ ...g.facts, native }, { alias, validate: opts.validateModel, policy });
}

/** `native-rtneural: <its summary>; parity: …` — what a refusal says on one line. */
const failedSummaries = (r: GateReport) =>
  r.gates
    .filter((g) => g.verdict === 'fail')
    .map((g) => `${g.gate}: ${g.summary}`)
    .join('; ');

/**
 * Promotes a run's RTNeural export: checks the gates, registers the version (one per run + artifact hash),
 * moves the alias with an audit event and, for `production`, publishes `<model>.json` + registry.json.
 * @throws PromotionRefusedError when a gate fails and `force` is not set (or the failed gate cannot be forced).
 */
export async function promote(tracker: Tracker, options: PromoteOptions): Promise<PromoteResult> {
  const o = { ...options, ...OptionsSchema.parse(options) };
  if (o.force && !o.reason)
    throw new Error('--force needs --reason "<why>": a forced promotion must say why');
  const policy = { ...DEFAULT_GATE_POLICY, ...o.policy };
  const g = gatherGateFacts(tracker, o.runId, o.alias, policy);
  const native = await gatherNative(tracker, o.runId, g.artifactAbsPath, o.checkNative);
  const report = evaluateGates({ ...g.facts, native }, { alias: o.alias, validate: o.validateModel, policy });
  const by = actor(o.by);

  if (!report.passed) {
    const hard = report.failed.filter((f) => UNFORCEABLE_GATES.includes(f));
    if (hard.length > 0)
      throw new PromotionRefusedError(
        report,
        `promotion refused: ${hard.join(', ')} cannot be forced (${failedSummaries(report)})`,
      );
    if (!o.force)
      throw new PromotionRefusedError(
        report,
        `promotion refused: ${failedSummaries(report)} (override with --force --reason "…")`,
      );
  }
  const forced = !report.passed;
  // the artifact gate passed (it cannot be forced), so the artifact exists with this hash
  const artifact = g.facts.artifact!;
  const gateJson = report as unknown as JsonObject;
  const versionMetrics = Object.fromEntries(
    Object.entries(g.metrics).filter(([, v]) => v !== undefined),
  ) as JsonObject;

  const register = (): VersionRow =>
    findRunVersion(tracker, g.model, o.runId, artifact.actualSha256) ??
    insertVersion(tracker, {
      model: g.model,
      runId: o.runId,
      source: 'live',
      status: 'trained',
      artifactPath: artifact.path,
      sha256: artifact.actualSha256,
      gateReport: gateJson,
      metrics: versionMetrics,
      createdBy: by,
    });
  const record = (version: VersionRow, published: PublishResult | null) =>
    moveAlias(tracker, {
      model: g.model,
      alias: o.alias,
      toVersionId: version.id,
      action: 'promote',
      by,
      reason: o.reason ?? null,
      note: o.note ?? null,
      forced,
      gateReport: gateJson,
      published: published ? publishedJson(published) : null,
    });

  // what the registry entry needs from the model file, read before anything is registered (a forced promotion
  // of a malformed file stops here with the file named, leaving no version behind)
  let summary: RtneuralSummary | null = null;
  if (o.alias === 'production') {
    try {
      summary = summarizeRtneural(g.facts.model?.ok ? g.facts.model.json : undefined);
    } catch (e) {
      throw new Error(`cannot publish ${artifact.path}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const version = writeTx(tracker, register);
  let event: ReturnType<typeof record> | undefined;
  let published: PublishResult | null = null;

  if (summary) {
    if (!g.modelBytes) throw new Error(`artifact ${artifact.path} is not readable`);
    const entry = buildModelEntry({
      modelId: g.model,
      version: version.version,
      summary,
      run: { ...g.run, lastMetrics: g.metrics },
      note: o.note,
      inferenceTargetMs: policy.hopMs * policy.maxRealtimeRatio,
    });
    published = await publishModel(
      {
        outDir: o.outDir ?? tracker.paths.models,
        modelId: g.model,
        version: version.version,
        modelBytes: g.modelBytes,
        entry,
        lock: o.lock,
      },
      (res) => {
        event = writeTx(tracker, () => record(version, res));
      },
    );
  } else {
    event = writeTx(tracker, () => record(version, null));
  }
  if (!event) throw new Error('internal: promotion recorded no event');
  const fromVersion =
    event.fromVersionId === null ? null : (getVersionById(tracker, event.fromVersionId)?.version ?? null);
  return {
    model: g.model,
    version: version.version,
    versionId: version.id,
    alias: o.alias,
    fromVersion,
    forced,
    gateReport: report,
    published,
    eventId: event.id,
  };
}

/** What an event stores about a publish: enough to restore the entry byte for byte on rollback. */
export function publishedJson(p: PublishResult): JsonObject {
  return {
    outDir: p.outDir,
    modelFile: p.modelFile,
    registryFile: p.registryFile,
    versionFile: p.versionFile,
    sha256: p.sha256,
    replacedSha256: p.replacedSha256,
    entry: p.entry,
  };
}
