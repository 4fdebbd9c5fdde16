import type { ArtifactRecord, JsonObject } from '../db/schema';
import type { RunItem } from './run-item';

/** last / min / step of min of one metric key (min over finite values; null when none). */
export interface MetricSummary {
  key: string;
  count: number;
  last: number;
  lastStep: number;
  min: number | null;
  minStep: number | null;
  /** NaN/±Infinity points. */
  nonFinite: number;
}

export interface AnomalyRecord {
  rule: string;
  severity: 'error' | 'warning';
  firstStep: number | null;
  evidence: JsonObject;
  createdAt: number;
}

/** An artifact as a run's detail lists it (the run is the detail's). */
export type ArtifactItem = Omit<ArtifactRecord, 'runId'>;

export interface RunDetail extends RunItem {
  config: JsonObject;
  params: { key: string; value: unknown; valueType: string }[];
  system: JsonObject | null;
  summary: JsonObject | null;
  contentHash: string | null;
  host: string | null;
  pid: number | null;
  errorStack: string | null;
  metrics: MetricSummary[];
  artifacts: ArtifactItem[];
  anomalyDetails: AnomalyRecord[];
}
