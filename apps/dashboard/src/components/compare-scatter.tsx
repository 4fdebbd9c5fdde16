'use client';
import { useState } from 'react';
import type { ConfigRow } from './compare-config-table';
import { primaryLossKey } from '../lib/metric-groups';
import { ScatterPlot } from './scatter-plot';

interface Summary {
  runId: string;
  key: string;
  last: number;
  min: number;
}

/** Any numeric hyperparameter (x) against the final or best value of any metric (y), one dot per run. */
export function CompareScatter({
  runs,
  colour,
  params,
  summaries,
  metricKeys,
}: {
  runs: readonly { id: string; name: string | null }[];
  colour: (i: number) => string;
  params: readonly ConfigRow[];
  summaries: readonly Summary[];
  metricKeys: readonly string[];
}) {
  const numeric = params.filter((p) => p.values.some((v) => typeof v === 'number'));
  const preferred = numeric.find((p) => !p.same) ?? numeric[0];
  const [param, setParam] = useState<string | undefined>(preferred?.key);
  const [metric, setMetric] = useState<string | undefined>(primaryLossKey(metricKeys) ?? metricKeys[0]);
  const [stat, setStat] = useState<'last' | 'min'>('min');
  const row = numeric.find((p) => p.key === param);
  if (!row || !metric) return <p className="muted">no numeric hyperparameter or metric to plot</p>;
  const points = runs.flatMap((r, i) => {
    const x = row.values[i];
    const s = summaries.find((q) => q.runId === r.id && q.key === metric);
    return typeof x === 'number' && s ? [{ label: r.name ?? r.id, color: colour(i), x, y: s[stat] }] : [];
  });
  return (
    <div className="panel">
      <div className="row" style={{ marginBottom: 6 }}>
        <label>
          x{' '}
          <select value={param} onChange={(e) => setParam(e.target.value)} aria-label="hyperparameter">
            {numeric.map((p) => (
              <option key={p.key}>{p.key}</option>
            ))}
          </select>
        </label>
        <label>
          y{' '}
          <select
            value={stat}
            onChange={(e) => setStat(e.target.value as 'last' | 'min')}
            aria-label="statistic"
          >
            <option value="min">best</option>
            <option value="last">final</option>
          </select>
        </label>
        <select value={metric} onChange={(e) => setMetric(e.target.value)} aria-label="metric">
          {metricKeys.map((k) => (
            <option key={k}>{k}</option>
          ))}
        </select>
      </div>
      <ScatterPlot
        points={points}
        xLabel={row.key}
        yLabel={`${stat === 'min' ? 'best' : 'final'} ${metric}`}
      />
    </div>
  );
}
