'use client';

export type XAxis = 'step' | 'epoch' | 'time';

export interface ChartSettings {
  xAxis: XAxis;
  logScale: boolean;
  /** EMA weight in [0, 0.99]. */
  smoothing: number;
}

/** x-axis choice, log-scale toggle and EMA slider shared by the run and compare pages. */
export function ChartControls({
  value,
  onChange,
}: {
  value: ChartSettings;
  onChange: (v: ChartSettings) => void;
}) {
  return (
    <div className="row panel" data-testid="chart-controls">
      <label>
        x-axis{' '}
        <select
          value={value.xAxis}
          onChange={(e) => onChange({ ...value, xAxis: e.target.value as XAxis })}
          aria-label="x-axis"
        >
          <option value="step">step</option>
          <option value="epoch">epoch</option>
          <option value="time">time (s since start)</option>
        </select>
      </label>
      <label>
        <input
          type="checkbox"
          checked={value.logScale}
          onChange={(e) => onChange({ ...value, logScale: e.target.checked })}
        />{' '}
        log scale
      </label>
      <label>
        smoothing{' '}
        <input
          type="range"
          min={0}
          max={0.99}
          step={0.01}
          value={value.smoothing}
          aria-label="smoothing"
          onChange={(e) => onChange({ ...value, smoothing: Number(e.target.value) })}
        />{' '}
        <span className="mono">{value.smoothing.toFixed(2)}</span>
      </label>
    </div>
  );
}

export const DEFAULT_CHART_SETTINGS: ChartSettings = { xAxis: 'step', logScale: false, smoothing: 0 };
