import type { ConfigRow } from '../components/compare-config-table';

/** The config diff of compareRuns as the tracking lib returns it. */
export interface ConfigDiffIn {
  changed: { key: string; values: Record<string, unknown> }[];
  onlyIn: { key: string; runs: string[]; values: Record<string, unknown> }[];
  same: { key: string; value: unknown }[];
}

/** One row per dotted key with a value per run (in `runIds` order), sorted by key; `same` marks equal rows. */
export function configRows(diff: ConfigDiffIn, runIds: readonly string[]): ConfigRow[] {
  const rows: ConfigRow[] = [
    ...diff.changed.map((c) => ({ key: c.key, values: runIds.map((id) => c.values[id]), same: false })),
    ...diff.onlyIn.map((c) => ({ key: c.key, values: runIds.map((id) => c.values[id]), same: false })),
    ...diff.same.map((c) => ({ key: c.key, values: runIds.map(() => c.value), same: true })),
  ];
  return rows.sort((a, b) => a.key.localeCompare(b.key));
}
