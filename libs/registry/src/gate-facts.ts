import { and, desc, eq } from 'drizzle-orm';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { anomalies, artifacts, runs, type ModelAlias } from '@kelly/tracking/schema';
import { isStale, staleView, type Tracker } from '@kelly/tracking';
import type { GateFacts, GatePolicy } from './gates';
import { modelIdFor } from './model-entry';
import { sha256Hex } from './publish';
import { aliasVersion, lastMetrics, RegistryNotFoundError } from './registry-store';

/** Artifact kind the trainer logs for its RTNeural export (issue 6). */
export const RTNEURAL_ARTIFACT_KIND = 'rtneural';
/** Run metric with the max |RTNeural − tfjs| over held-out clips (issue 6). */
export const PARITY_METRIC = 'rtneural_max_abs_err';
/** Run metrics with the real-time figure; the first key present wins. */
export const FRAME_MS_METRICS = [
  'rtneural_frame_ms',
  'rtneural_ms_per_frame',
  'rtneural_inference_ms',
] as const;
export const REALTIME_RATIO_METRICS = ['rtneural_realtime_ratio', 'rtneural_hop_ratio'] as const;

/** Metrics copied into the registry entry's training block (see model-entry.ts). */
export const SUMMARY_METRICS = [
  'loss',
  'train_loss',
  'epoch_train_loss',
  'val_loss',
  'final_val_loss',
  'test_loss',
  'final_test_loss',
];

/**
 * The validation metric of a run: `final_<key>` first (the trainer's value for the exported best-epoch model),
 * else the last logged `<key>`.
 */
export const validationKeys = (policy: GatePolicy) => [
  `final_${policy.validationMetric.key}`,
  policy.validationMetric.key,
];

export type RunRow = typeof runs.$inferSelect;

export interface GatheredFacts {
  facts: GateFacts;
  run: RunRow;
  /** Registry model id (the experiment, normalised). */
  model: string;
  /** The artifact's exact bytes (what gets published), when readable. */
  modelBytes: Buffer | null;
  artifactAbsPath: string | null;
  metrics: Record<string, number | undefined>;
}

/** The run row, a stale RUNNING run shown as CRASHED (nothing written: sweeping is for writers). */
export function getRun(tracker: Tracker, runId: string): RunRow {
  const run = tracker.db.select().from(runs).where(eq(runs.id, runId)).get();
  if (!run) throw new RegistryNotFoundError(`unknown run id: ${runId}`);
  return isStale(run, staleView(tracker.settings.staleAfterS)) ? { ...run, status: 'CRASHED' } : run;
}

const firstDefined = (m: Record<string, number | undefined>, keys: readonly string[]) =>
  keys.map((k) => m[k]).find((v) => v !== undefined);

/** Collects everything the gates need for promoting `runId` to `alias`. Throws RegistryNotFoundError for an unknown run. */
export function gatherGateFacts(
  tracker: Tracker,
  runId: string,
  alias: ModelAlias,
  policy: GatePolicy,
): GatheredFacts {
  const run = getRun(tracker, runId);
  const model = modelIdFor(run.experiment);
  const found = tracker.db
    .select()
    .from(anomalies)
    .where(eq(anomalies.runId, runId))
    .all()
    .map((a) => ({ rule: a.rule, severity: a.severity, firstStep: a.firstStep, evidence: a.evidence }));
  const art = tracker.db
    .select()
    .from(artifacts)
    .where(and(eq(artifacts.runId, runId), eq(artifacts.kind, RTNEURAL_ARTIFACT_KIND)))
    .orderBy(desc(artifacts.id))
    .get();

  let modelBytes: Buffer | null = null;
  let artifactAbsPath: string | null = null;
  let facts: Pick<GateFacts, 'artifact' | 'model'> = { artifact: null };
  if (art) {
    artifactAbsPath = resolve(tracker.paths.artifacts, art.path);
    modelBytes = existsSync(artifactAbsPath) ? readFileSync(artifactAbsPath) : null;
    const artifact = {
      path: art.path,
      recordedSha256: art.sha256,
      actualSha256: modelBytes ? sha256Hex(modelBytes) : null,
      bytes: modelBytes?.length ?? null,
    };
    let parsedModel: GateFacts['model'];
    if (modelBytes) {
      try {
        parsedModel = { ok: true, json: JSON.parse(modelBytes.toString('utf8')) };
      } catch (e) {
        parsedModel = { ok: false, error: e instanceof Error ? e.message : String(e) };
      }
    }
    facts = { artifact, model: parsedModel };
  }

  const vKeys = validationKeys(policy);
  const keys = [PARITY_METRIC, ...FRAME_MS_METRICS, ...REALTIME_RATIO_METRICS, ...vKeys, ...SUMMARY_METRICS];
  const metrics = lastMetrics(tracker, runId, keys);
  const cur = aliasVersion(tracker, model, alias);
  const curValue = cur?.runId ? firstDefined(lastMetrics(tracker, cur.runId, vKeys), vKeys) : undefined;

  return {
    model,
    run,
    modelBytes,
    artifactAbsPath,
    metrics,
    facts: {
      run: { id: run.id, experiment: model, status: run.status },
      anomalies: found,
      ...facts,
      parityErr: metrics[PARITY_METRIC],
      realtime: {
        frameMs: firstDefined(metrics, FRAME_MS_METRICS),
        ratio: firstDefined(metrics, REALTIME_RATIO_METRICS),
      },
      validationValue: firstDefined(metrics, vKeys),
      current: cur ? { version: cur.version, runId: cur.runId, validationValue: curValue } : null,
    },
  };
}
