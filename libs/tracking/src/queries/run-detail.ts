import type { JsonObject } from '../db/schema';
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

export interface ArtifactItem {
  id: number;
  kind: string;
  name: string | null;
  path: string;
  sha256: string | null;
  bytes: number | null;
  createdAt: number;
}

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
