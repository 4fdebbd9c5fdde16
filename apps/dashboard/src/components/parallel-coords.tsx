'use client';
import { useState } from 'react';
import { formatValue } from '../lib/format';
import type { ConfigRow } from './compare-config-table';

interface Summary {
  runId: string;
  key: string;
  last: number;
  min: number;
}

/**
 * Parallel coordinates for 3+ runs: one vertical axis per numeric hyperparameter that differs between the runs,
 * then the chosen metric (best or final); one line per run in its colour. Each axis spans its own min…max.
 */
export function ParallelCoords({
  runs,
  colour,
  params,
  summaries,
  metricKeys,
  defaultMetric,
}: {
  runs: readonly { id: string; name: string | null }[];
  colour: (i: number) => string;
  params: readonly ConfigRow[];
  summaries: readonly Summary[];
  metricKeys: readonly string[];
  defaultMetric: string | undefined;
}) {
  const [metric, setMetric] = useState(defaultMetric);
  const [stat, setStat] = useState<'last' | 'min'>('min');
  const axes = params.filter((p) => !p.same && p.values.filter((v) => typeof v === 'number').length >= 2);
  if (!metric) return <p className="muted">no metric to plot</p>;
  const metricValues = runs.map((r) => summaries.find((s) => s.runId === r.id && s.key === metric)?.[stat]);
  const columns = [
    ...axes.map((a) => ({
      label: a.key,
      values: a.values.map((v) => (typeof v === 'number' ? v : undefined)),
    })),
    { label: `${stat === 'min' ? 'best' : 'final'} ${metric}`, values: metricValues },
  ];
  const W = 900;
  const H = 280;
  const top = 36;
  const bottom = 30;
  const x = (i: number) => 60 + (i * (W - 120)) / Math.max(1, columns.length - 1);
  const scale = columns.map((c) => {
    const finite = c.values.filter((v): v is number => v !== undefined && Number.isFinite(v));
    const lo = Math.min(...finite);
    const hi = Math.max(...finite);
    return (v: number | undefined) =>
      v === undefined || !Number.isFinite(v)
        ? null
        : top + (H - top - bottom) * (hi > lo ? 1 - (v - lo) / (hi - lo) : 0.5);
  });
  return (
    <div className="panel" data-testid="parallel-coords">
      <div className="row" style={{ marginBottom: 6 }}>
        <label>
          metric{' '}
          <select
            value={metric}
            onChange={(e) => setMetric(e.target.value)}
            aria-label="parallel coordinates metric"
          >
            {metricKeys.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </label>
        <select
          value={stat}
          onChange={(e) => setStat(e.target.value as 'last' | 'min')}
          aria-label="parallel coordinates statistic"
        >
          <option value="min">best</option>
          <option value="last">final</option>
        </select>
        {axes.length === 0 && (
          <span className="muted">no numeric hyperparameter differs between these runs</span>
        )}
      </div>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        width="100%"
        role="img"
        aria-label="parallel coordinates of differing hyperparameters against the metric"
      >
        {columns.map((c, i) => {
          const finite = c.values.filter((v): v is number => v !== undefined && Number.isFinite(v));
          return (
            <g key={c.label}>
              <line x1={x(i)} x2={x(i)} y1={top} y2={H - bottom} stroke="#9ca3af" />
              <text x={x(i)} y={14} textAnchor="middle" fontSize={12} fill="#1b1d21">
                {c.label}
              </text>
              <text x={x(i) + 4} y={top + 4} fontSize={10} fill="#6b7280">
                {formatValue(Math.max(...finite))}
              </text>
              <text x={x(i) + 4} y={H - bottom + 12} fontSize={10} fill="#6b7280">
                {formatValue(Math.min(...finite))}
              </text>
            </g>
          );
        })}
        {runs.map((r, ri) => {
          const pts = columns.map((c, i) => [x(i), scale[i]!(c.values[ri])] as const);
          const d = pts
            .flatMap(([px, py], i) =>
              py === null ? [] : [`${i === 0 || pts[i - 1]![1] === null ? 'M' : 'L'}${px},${py}`],
            )
            .join(' ');
          return (
            <g key={r.id} data-run-id={r.id}>
              <path d={d} fill="none" stroke={colour(ri)} strokeWidth={2} opacity={0.85}>
                <title>{r.name ?? r.id}</title>
              </path>
              {pts.map(([px, py], i) =>
                py === null ? null : <circle key={i} cx={px} cy={py} r={3} fill={colour(ri)} />,
              )}
            </g>
          );
        })}
      </svg>
    </div>
  );
}
