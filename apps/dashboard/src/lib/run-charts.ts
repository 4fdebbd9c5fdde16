/** Turns a chart spec (metric-groups) and one or more runs' series into chart lines, bands and markers. */
import type { ChartSettings } from '../components/chart-controls';
import type { ChartBand, ChartMarker, ChartSeries } from './chart-data';
import { flaggedStepsOf, toChartSeries, xOf, type SeriesPoint } from './series';

export interface ChartRun {
  id: string;
  label: string;
  colour: string;
  startedAt: number;
  series: readonly { key: string; points: readonly SeriesPoint[] }[];
  anomalies: readonly { firstStep: number | null; evidence: Record<string, unknown> }[];
}

export type Role = 'train' | 'epoch_train' | 'val' | 'other';

/** train_loss/train_f1 → train, epoch_train_loss → epoch_train, val_* → val. */
export function roleOf(key: string): Role {
  if (/^epoch_train_/.test(key)) return 'epoch_train';
  if (/^train_|^loss$/.test(key)) return 'train';
  if (/^(val|valid|validation|eval)_/.test(key)) return 'val';
  return 'other';
}

/** One run: a colour per role (train blue, epoch mean navy, validation orange). */
const ROLE_COLOURS: Record<Role, string> = {
  train: '#60a5fa',
  epoch_train: '#1e3a8a',
  val: '#ea580c',
  other: '#0f766e',
};
/** Several runs: the run's colour, the role as a dash (validation solid). */
const ROLE_DASH: Record<Role, number[] | undefined> = {
  train: [2, 3],
  epoch_train: [7, 4],
  val: undefined,
  other: undefined,
};

/** The lines of one chart: per run and key. One run: coloured by role; several: by run, dashed by role. */
export function chartLines(
  keys: readonly string[],
  runs: readonly ChartRun[],
  settings: ChartSettings,
): ChartSeries[] {
  const single = runs.length === 1;
  return runs.flatMap((run) =>
    keys.flatMap((key) => {
      const s = run.series.find((x) => x.key === key);
      if (!s || s.points.length === 0) return [];
      const role = roleOf(key);
      const colour = single ? (keys.length === 1 ? run.colour : ROLE_COLOURS[role]) : run.colour;
      const line = toChartSeries(
        single ? key : `${run.label} · ${key}`,
        colour,
        s.points,
        flaggedStepsOf(run.anomalies, key),
        settings,
        run.startedAt,
      );
      const dash = single ? undefined : ROLE_DASH[role];
      return [dash ? { ...line, dash } : line];
    }),
  );
}

/** Each run's best epoch on its primary loss curve: "best epoch N" (the point's epoch, else its step). */
export function bestMarkers(
  lossKey: string | null,
  runs: readonly ChartRun[],
  settings: ChartSettings,
): ChartMarker[] {
  if (!lossKey) return [];
  return runs.flatMap((run) => {
    const pts =
      run.series.find((s) => s.key === lossKey)?.points.filter((p) => Number.isFinite(p.value)) ?? [];
    if (pts.length < 2) return [];
    // The trainer's own `best_epoch` (early stopping needs an improvement above min_delta), else the lowest loss.
    const reported = run.series.find((s) => s.key === 'best_epoch')?.points.at(-1)?.value;
    const best =
      pts.find((p) => reported !== undefined && p.epoch === reported) ??
      pts.reduce((a, b) => (b.value < a.value ? b : a));
    const what = best.epoch === null ? `step ${best.step}` : `epoch ${best.epoch}`;
    return [
      {
        x: xOf(best, settings.xAxis, run.startedAt),
        // Several runs: the line is in the run's colour, so the label stays short.
        label: runs.length === 1 ? `best ${what}` : `best ${what.replace('epoch', 'ep')}`,
        ...(runs.length === 1 ? {} : { color: run.colour }),
      },
    ];
  });
}

/** Labels that tell runs apart: the name, with the end of the id added where names repeat. */
export function runLabels(runs: readonly { id: string; name: string | null }[]): string[] {
  const names = runs.map((r) => r.name ?? r.id);
  return runs.map((r, i) =>
    names.filter((n) => n === names[i]).length > 1 ? `${names[i]} ·${r.id.slice(-6)}` : names[i]!,
  );
}

export interface RunGroup {
  name: string;
  colour: string;
  runs: ChartRun[];
}

/**
 * Groups of runs on one chart: per key, the mean line across the group's runs at each x (finite values only)
 * and the min…max band around it.
 */
export function groupLines(
  keys: readonly string[],
  groups: readonly RunGroup[],
  settings: ChartSettings,
): { lines: ChartSeries[]; bands: ChartBand[] } {
  const lines: ChartSeries[] = [];
  const bands: ChartBand[] = [];
  for (const g of groups)
    for (const key of keys) {
      const at = new Map<number, number[]>();
      for (const run of g.runs) {
        const s = run.series.find((x) => x.key === key);
        for (const p of s?.points ?? []) {
          if (!Number.isFinite(p.value)) continue;
          const x = xOf(p, settings.xAxis, run.startedAt);
          at.set(x, [...(at.get(x) ?? []), p.value]);
        }
      }
      if (at.size === 0) continue;
      const xs = [...at.keys()].sort((a, b) => a - b);
      const vals = xs.map((x) => at.get(x)!);
      const dash = ROLE_DASH[roleOf(key)];
      lines.push({
        label: `${g.name} (${g.runs.length}) · ${key} mean`,
        color: g.colour,
        x: xs,
        y: vals.map((v) => v.reduce((a, b) => a + b, 0) / v.length),
        ...(dash ? { dash } : {}),
      });
      bands.push({
        color: g.colour,
        x: xs,
        lo: vals.map((v) => Math.min(...v)),
        hi: vals.map((v) => Math.max(...v)),
      });
    }
  return { lines, bands };
}
