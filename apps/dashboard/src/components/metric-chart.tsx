'use client';
import { useEffect, useMemo, useRef } from 'react';
import type uPlot from 'uplot';
import { formatValue } from '../lib/format';
import { alignSeries, type ChartSeries } from '../lib/chart-data';

export interface MetricChartProps {
  title: string;
  xLabel: string;
  series: ChartSeries[];
  logScale: boolean;
  height?: number;
  /** A line under the chart, e.g. how many points were shown. */
  note?: string;
}

const MARK = '#dc2626';

/**
 * One uPlot line chart. Non-finite values cannot be plotted: each one is drawn as a red dashed
 * vertical line labelled NaN/+Inf/−Inf at its x, and listed under the chart. Anomaly-flagged points
 * get a red ring. Hovering shows each series' raw value (non-finite included) in the legend.
 * `data-points` = plotted finite points, `data-nonfinite` = "NaN@57,…" for tests and scripts.
 */
export function MetricChart({ title, xLabel, series, logScale, height = 260, note }: MetricChartProps) {
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
      const opts: uPlot.Options = {
        width: el.clientWidth || 600,
        height,
        scales: { x: { time: false }, y: logScale ? { distr: 3 } : {} },
        axes: [{ label: xLabel }, { size: 60 }],
        series: [
          { label: xLabel, value: (_u, v) => formatValue(v) },
          ...series.map((s, i) => ({
            label: s.label,
            stroke: s.color,
            width: 1.5,
            spanGaps: true,
            points: { show: false },
            value: (_u: uPlot, _v: number, _si: number, idx: number | null) =>
              idx === null ? '—' : formatValue(aligned.raw[i]?.[idx]),
          })),
        ],
        hooks: { draw: [drawMarks] },
      };
      chart = new UPlot(opts, aligned.data, el);
      observer.observe(el);
    });
    return () => {
      cancelled = true;
      observer.disconnect();
      chart?.destroy();
    };
  }, [aligned, series, logScale, xLabel, height]);

  return (
    <div
      className="chart panel"
      data-testid="chart"
      data-metric={title}
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
