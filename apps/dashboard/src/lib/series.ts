import type { ChartSeries } from './chart-data';
import type { ChartSettings } from '../components/chart-controls';
import { ema } from './smoothing';

/** One point of a (downsampled) metric series as the server sends it. wallTime: Unix ms. */
export interface SeriesPoint {
  step: number;
  epoch: number | null;
  wallTime: number;
  value: number;
}

/** x of a point for the chosen axis: step, epoch (falls back to step when absent), or seconds since t0. */
export function xOf(p: SeriesPoint, axis: ChartSettings['xAxis'], t0: number): number {
  if (axis === 'epoch') return p.epoch ?? p.step;
  if (axis === 'time') return Math.round((p.wallTime - t0) / 10) / 100;
  return p.step;
}

/** Builds a chart series: x per the axis, EMA-smoothed values, flagged steps mapped onto the same x. */
export function toChartSeries(
  label: string,
  color: string,
  points: readonly SeriesPoint[],
  flaggedSteps: readonly number[],
  settings: ChartSettings,
  t0: number,
): ChartSeries {
  const x = points.map((p) => xOf(p, settings.xAxis, t0));
  const y = ema(
    points.map((p) => p.value),
    settings.smoothing,
  );
  const flagged = new Set(flaggedSteps);
  const flaggedX = points.filter((p) => flagged.has(p.step)).map((p) => xOf(p, settings.xAxis, t0));
  return { label, color, x, y, flaggedX };
}

/** Steps flagged by an anomaly on this metric key (evidence without a key applies to every loss chart). */
export function flaggedStepsOf(
  anomalies: readonly { firstStep: number | null; evidence: Record<string, unknown> }[],
  key: string,
): number[] {
  return anomalies.flatMap((a) => {
    if (a.firstStep === null) return [];
    const keys = [a.evidence.key, a.evidence.valKey, a.evidence.trainKey].filter(
      (k) => typeof k === 'string',
    );
    return keys.length === 0 || keys.includes(key) ? [a.firstStep] : [];
  });
}
