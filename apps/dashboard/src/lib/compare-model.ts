import type { ConfigRow } from '../components/compare-config-table';

/** The config diff of compareRuns as the tracking lib returns it. */
/** A row of a setting mapped by the tracking vocabulary: what it is and each run's own key. */
interface Mapped {
  label?: string;
  rawKeys?: Record<string, string>;
}

export interface ConfigDiffIn {
  changed: ({ key: string; values: Record<string, unknown> } & Mapped)[];
  onlyIn: ({ key: string; runs: string[]; values: Record<string, unknown> } & Mapped)[];
  same: ({ key: string; value: unknown } & Mapped)[];
}

const mapped = (c: Mapped, runIds: readonly string[]) =>
  c.label ? { label: c.label, rawKeys: runIds.map((id) => c.rawKeys?.[id]) } : {};

/** One row per dotted key with a value per run (in `runIds` order), sorted by key; `same` marks equal rows. */
export function configRows(diff: ConfigDiffIn, runIds: readonly string[]): ConfigRow[] {
  const rows: ConfigRow[] = [
    ...diff.changed.map((c) => ({
      key: c.key,
      values: runIds.map((id) => c.values[id]),
      same: false,
      ...mapped(c, runIds),
    })),
    ...diff.onlyIn.map((c) => ({
      key: c.key,
      values: runIds.map((id) => c.values[id]),
      same: false,
      ...mapped(c, runIds),
    })),
    ...diff.same.map((c) => ({
      key: c.key,
      values: runIds.map(() => c.value),
      same: true,
      ...mapped(c, runIds),
    })),
  ];
  return rows.sort((a, b) => a.key.localeCompare(b.key));
}
