/** Units read from metric names, and SI formatting of values with them. */

/** The unit of a metric by its name: `*_s` seconds, `*_ms` milliseconds, `*_per_s` per second, else none. */
export function unitOf(key: string): string {
  if (/per_s$|_per_sec$|_per_second$/.test(key)) return '/s';
  if (/(_|^)ms$|_ms_/.test(key)) return 'ms';
  if (/(_|^)s$|_seconds?$/.test(key)) return 's';
  if (/_bytes$/.test(key)) return 'B';
  return '';
}

const PREFIXES: [number, string][] = [
  [1e9, 'G'],
  [1e6, 'M'],
  [1e3, 'k'],
  [1, ''],
  [1e-3, 'm'],
  [1e-6, 'µ'],
  [1e-9, 'n'],
];

/**
 * A value with an SI prefix and its unit: `0.0021 s` → `2.1 ms`, `12500 /s` → `12.5 k/s`, `3.2 ms` stays
 * `3.2 ms` (milliseconds are rescaled as seconds ×1e-3). Without a unit, numbers ≥ 10⁴ get k/M/G only
 * (small unitless values such as a loss or a learning rate keep their decimals). Non-finite: NaN, +Inf, −Inf.
 */
export function formatSi(v: number, unit = '', digits = 3): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '−Inf';
  if (v === 0) return unit ? `0 ${unit}` : '0';
  let base = v;
  let u = unit;
  if (unit === 'ms') [base, u] = [v * 1e-3, 's'];
  const abs = Math.abs(base);
  if (!u) {
    if (abs < 1e4) return String(Number(base.toPrecision(digits)));
    const [f, p] = PREFIXES.find(([f]) => abs >= f)!;
    return `${Number((base / f).toPrecision(digits))}${p}`;
  }
  const [f, p] = PREFIXES.find(([f]) => abs >= f) ?? PREFIXES[PREFIXES.length - 1]!;
  return `${Number((base / f).toPrecision(digits))} ${p}${u}`;
}
