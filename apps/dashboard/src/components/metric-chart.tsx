'use client';
import { useEffect, useMemo, useRef } from 'react';
import type uPlot from 'uplot';
import { formatValue } from '../lib/format';
import { alignSeries, type ChartBand, type ChartMarker, type ChartSeries } from '../lib/chart-data';
import { formatSi } from '../lib/units';

export interface MetricChartProps {
  title: string;
  xLabel: string;
  series: ChartSeries[];
  logScale: boolean;
  height?: number;
  /** A line under the chart, e.g. how many points were shown. */
  note?: string;
  /** Unit of the values (`s`, `ms`, `/s`, …): axis and legend use SI prefixes. */
  unit?: string;
  /** Unit of x (`s` for the time axis). */
  xUnit?: string;
  markers?: ChartMarker[];
  bands?: ChartBand[];
}

const MARK = '#dc2626';
const BEST = '#15803d';

/**
 * One uPlot line chart. Non-finite values cannot be plotted: each one is drawn as a red dashed
 * vertical line labelled NaN/+Inf/−Inf at its x, and listed under the chart. Anomaly-flagged points
 * get a red ring. Hovering shows each series' raw value (non-finite included) in the legend.
 * `data-points` = plotted finite points, `data-nonfinite` = "NaN@57,…" for tests and scripts.
 */
export function MetricChart({
  title,
  xLabel,
  series,
  logScale,
  height = 260,
  note,
  unit = '',
  xUnit = '',
  markers = [],
  bands = [],
}: MetricChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const aligned = useMemo(() => alignSeries(series, logScale), [series, logScale]);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    let chart: uPlot | undefined;
    let cancelled = false;
    const observer = new ResizeObserver(() => chart?.setSize({ width: el.clientWidth, height }));
    void import('uplot').then(({ default: UPlot }) => {
      if (cancelled) return;
      const drawMarks = (u: uPlot) => {
        const { ctx } = u;
        ctx.save();
        ctx.font = `${11 * devicePixelRatio}px system-ui, sans-serif`;
        aligned.nonFinite.forEach((mark, i) => {
          const x = u.valToPos(mark.x, 'x', true);
          ctx.strokeStyle = MARK;
          ctx.fillStyle = MARK;
          ctx.setLineDash([4 * devicePixelRatio, 3 * devicePixelRatio]);
          ctx.lineWidth = 1.5 * devicePixelRatio;
          ctx.beginPath();
          ctx.moveTo(x, u.bbox.top);
          ctx.lineTo(x, u.bbox.top + u.bbox.height);
          ctx.stroke();
          // Labels of neighbouring marks are staggered over three rows so they stay readable.
          const row = (i % 3) + 1;
          ctx.fillText(
            formatValue(mark.value),
            x + 3 * devicePixelRatio,
            u.bbox.top + 12 * row * devicePixelRatio,
          );
        });
        markers.forEach((m, mi) => {
          const x = u.valToPos(m.x, 'x', true);
          ctx.strokeStyle = m.color ?? BEST;
          ctx.fillStyle = m.color ?? BEST;
          ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
          ctx.lineWidth = 1.5 * devicePixelRatio;
          ctx.beginPath();
          ctx.moveTo(x, u.bbox.top);
          ctx.lineTo(x, u.bbox.top + u.bbox.height);
          ctx.stroke();
          const w = ctx.measureText(m.label).width;
          // Top, left of the line (NaN/Inf labels go to its right); right of it near the left edge.
          const before = x - w - 4 * devicePixelRatio >= u.bbox.left;
          ctx.fillText(
            m.label,
            before ? x - w - 4 * devicePixelRatio : x + 4 * devicePixelRatio,
            u.bbox.top + 12 * (1 + (mi % 3)) * devicePixelRatio,
          );
        });
        ctx.setLineDash([]);
        for (const f of aligned.flagged) {
          ctx.strokeStyle = MARK;
          ctx.lineWidth = 2 * devicePixelRatio;
          ctx.beginPath();
          ctx.arc(
            u.valToPos(f.x, 'x', true),
            u.valToPos(f.y, 'y', true),
            5 * devicePixelRatio,
            0,
            2 * Math.PI,
          );
          ctx.stroke();
        }
        ctx.restore();
      };
      const drawBands = (u: uPlot) => {
        const { ctx } = u;
        ctx.save();
        for (const b of bands) {
          const pts = b.x
            .map((x, i) => [x, b.lo[i]!, b.hi[i]!] as const)
            .filter(([, lo, hi]) => Number.isFinite(lo) && Number.isFinite(hi) && (!logScale || lo > 0));
          if (pts.length < 2) continue;
          ctx.fillStyle = `${b.color}26`; // ~15 % opacity
          ctx.beginPath();
          const [x0, , hi0] = pts[0]!;
          ctx.moveTo(u.valToPos(x0, 'x', true), u.valToPos(hi0, 'y', true));
          for (const [x, , hi] of pts.slice(1))
            ctx.lineTo(u.valToPos(x, 'x', true), u.valToPos(hi, 'y', true));
          for (const [x, lo] of [...pts].reverse())
            ctx.lineTo(u.valToPos(x, 'x', true), u.valToPos(lo, 'y', true));
          ctx.closePath();
          ctx.fill();
        }
        ctx.restore();
      };
      const fmt = (v: number | null | undefined, digits = 4) =>
        v === null || v === undefined ? '—' : formatSi(v, unit, digits);
      const opts: uPlot.Options = {
        width: el.clientWidth || 600,
        height,
        scales: { x: { time: false }, y: logScale ? { distr: 3 } : {} },
        axes: [
          {
            label: xUnit ? `${xLabel} (${xUnit})` : xLabel,
            values: (_u, splits) => splits.map((v) => formatSi(v, xUnit)),
          },
          {
            size: 72,
            label: unit || undefined,
            values: (_u, splits) => splits.map((v) => formatSi(v, unit, 3)),
          },
        ],
        series: [
          { label: xLabel, value: (_u, v) => formatValue(v) },
          ...series.map((s, i) => ({
            label: s.label,
            stroke: s.color,
            width: 1.5,
            ...(s.dash ? { dash: s.dash } : {}),
            spanGaps: true,
            points: { show: false },
            value: (_u: uPlot, _v: number, _si: number, idx: number | null) =>
              idx === null ? '—' : fmt(aligned.raw[i]?.[idx]),
          })),
        ],
        // Past six lines the legend would outgrow the chart: the page keys runs and line styles once instead.
        legend: { show: series.length <= 6 },
        hooks: { drawClear: [drawBands], draw: [drawMarks] },
      };
      chart = new UPlot(opts, aligned.data, el);
      observer.observe(el);
    });
    return () => {
      cancelled = true;
      observer.disconnect();
      chart?.destroy();
    };
  }, [aligned, series, logScale, xLabel, height, unit, xUnit, markers, bands]);

  return (
    <div
      className="chart panel"
      data-testid="chart"
      data-metric={title}
      data-series={series.map((s) => s.label).join('|')}
      data-markers={markers.map((m) => m.label).join('|')}
      data-max-series-points={Math.max(0, ...series.map((s) => s.x.length))}
      data-points={aligned.finitePoints}
      data-nonfinite={aligned.nonFinite.map((m) => `${formatValue(m.value)}@${m.x}`).join(',')}
    >
      <div className="title">{title}</div>
      <div ref={box} />
      {aligned.nonFinite.length > 0 && (
        <div className="nonfinite" data-testid="nonfinite-marks">
          non-finite:{' '}
          {aligned.nonFinite
            .slice(0, 8)
            .map((m) => `${formatValue(m.value)} at ${xLabel} ${m.x} (${m.label})`)
            .join('; ')}
          {aligned.nonFinite.length > 8 ? ` … and ${aligned.nonFinite.length - 8} more` : ''}
        </div>
      )}
      {note && <div className="muted">{note}</div>}
    </div>
  );
}
