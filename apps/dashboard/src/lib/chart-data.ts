/** Turns per-run series into uPlot's aligned columns (one shared, ascending x). */
import type uPlot from 'uplot';

export interface ChartSeries {
  label: string;
  color: string;
  /** x of each point (step, epoch or seconds since start), ascending. */
  x: number[];
  /** values; NaN/±Inf allowed (not plotted, marked). */
  y: number[];
  /** x values of anomaly-flagged points, ringed on the chart. */
  flaggedX?: number[];
  /** Canvas dash pattern in CSS px (e.g. [6, 4] for a training curve next to its solid validation curve). */
  dash?: number[];
}

/** A shaded min…max band (a group of runs), drawn under the lines in the group's colour. */
export interface ChartBand {
  color: string;
  x: number[];
  lo: number[];
  hi: number[];
}

/** A labelled vertical line, e.g. the best epoch. */
export interface ChartMarker {
  x: number;
  label: string;
  color?: string;
}

export interface AlignedChart {
  data: uPlot.AlignedData;
  /** raw[i][j] = original value of series i at aligned index j (undefined where absent). */
  raw: (number | undefined)[][];
  nonFinite: { x: number; value: number; label: string }[];
  flagged: { x: number; y: number }[];
  finitePoints: number;
}

/**
 * Aligns series on the union of their x (a series absent at an x gets null, joined over by spanGaps).
 * A repeated x within one series keeps the last value. With `logScale`, values ≤ 0 become gaps.
 */
export function alignSeries(series: ChartSeries[], logScale: boolean): AlignedChart {
  const xs = [...new Set(series.flatMap((s) => s.x))].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const raw: (number | undefined)[][] = series.map(() => new Array<number | undefined>(xs.length));
  const nonFinite: AlignedChart['nonFinite'] = [];
  const flagged: AlignedChart['flagged'] = [];
  let finitePoints = 0;
  const cols = series.map((s, i) => {
    const col: (number | null)[] = new Array<number | null>(xs.length).fill(null);
    const r = raw[i]!;
    s.x.forEach((x, j) => {
      const k = index.get(x)!;
      const v = s.y[j]!;
      r[k] = v;
      if (!Number.isFinite(v)) nonFinite.push({ x, value: v, label: s.label });
      else if (!logScale || v > 0) {
        col[k] = v;
        finitePoints++;
      }
    });
    for (const fx of s.flaggedX ?? []) {
      const k = index.get(fx);
      const v = k === undefined ? undefined : r[k];
      // Non-finite flagged points are already drawn as labelled lines; ring only plotted ones.
      if (v !== undefined && Number.isFinite(v) && (!logScale || v > 0)) flagged.push({ x: fx, y: v });
    }
    return col;
  });
  return { data: [xs, ...cols] as uPlot.AlignedData, raw, nonFinite, flagged, finitePoints };
}

/** Ten distinguishable run colours, none the red of the NaN/Inf markers (runs beyond ten reuse them). */
export const RUN_COLOURS = [
  '#2563eb',
  '#ea580c',
  '#16a34a',
  '#9333ea',
  '#0891b2',
  '#ca8a04',
  '#db2777',
  '#4b5563',
  '#65a30d',
  '#7c3aed',
];
