import { formatValue } from '../lib/format';

export interface ScatterPoint {
  label: string;
  color: string;
  x: number;
  y: number;
}

/**
 * A small SVG scatter (one dot per run). Non-finite x or y cannot be placed: those runs are listed
 * under the plot with their value instead of being dropped silently.
 */
export function ScatterPlot({
  points,
  xLabel,
  yLabel,
}: {
  points: ScatterPoint[];
  xLabel: string;
  yLabel: string;
}) {
  const W = 520;
  const H = 300;
  const pad = { l: 64, r: 16, t: 12, b: 40 };
  const ok = points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const bad = points.filter((p) => !ok.includes(p));
  const ext = (vs: number[]) => {
    const lo = Math.min(...vs);
    const hi = Math.max(...vs);
    const span = hi - lo || Math.abs(hi) || 1;
    return [lo - span * 0.08, hi + span * 0.08] as const;
  };
  const [x0, x1] = ok.length ? ext(ok.map((p) => p.x)) : [0, 1];
  const [y0, y1] = ok.length ? ext(ok.map((p) => p.y)) : [0, 1];
  const sx = (x: number) => pad.l + ((x - x0) / (x1 - x0)) * (W - pad.l - pad.r);
  const sy = (y: number) => H - pad.b - ((y - y0) / (y1 - y0)) * (H - pad.t - pad.b);
  const ticks = (a: number, b: number) => [0, 0.25, 0.5, 0.75, 1].map((f) => a + (b - a) * f);
  return (
    <div data-testid="scatter">
      <svg
        width={W}
        height={H}
        role="img"
        aria-label={`${yLabel} against ${xLabel}`}
        style={{ background: '#fff' }}
      >
        <line x1={pad.l} y1={H - pad.b} x2={W - pad.r} y2={H - pad.b} stroke="#999" />
        <line x1={pad.l} y1={pad.t} x2={pad.l} y2={H - pad.b} stroke="#999" />
        {ticks(x0, x1).map((t) => (
          <text key={`x${t}`} x={sx(t)} y={H - pad.b + 14} fontSize={10} textAnchor="middle">
            {formatValue(t, 3)}
          </text>
        ))}
        {ticks(y0, y1).map((t) => (
          <text key={`y${t}`} x={pad.l - 4} y={sy(t) + 3} fontSize={10} textAnchor="end">
            {formatValue(t, 3)}
          </text>
        ))}
        <text x={(W + pad.l) / 2} y={H - 6} fontSize={11} textAnchor="middle">
          {xLabel}
        </text>
        <text
          x={12}
          y={(H - pad.b) / 2}
          fontSize={11}
          textAnchor="middle"
          transform={`rotate(-90 12 ${(H - pad.b) / 2})`}
        >
          {yLabel}
        </text>
        {ok.map((p) => (
          <circle key={p.label} cx={sx(p.x)} cy={sy(p.y)} r={5} fill={p.color}>
            <title>{`${p.label}: ${xLabel}=${formatValue(p.x)}, ${yLabel}=${formatValue(p.y)}`}</title>
          </circle>
        ))}
      </svg>
      {bad.length > 0 && (
        <div className="nonfinite">
          not plotted: {bad.map((p) => `${p.label} (${formatValue(p.x)}, ${formatValue(p.y)})`).join('; ')}
        </div>
      )}
    </div>
  );
}
