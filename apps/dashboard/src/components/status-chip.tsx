import { formatValue } from '../lib/format';
import { ruleSeverity } from '../lib/rules';

/** Run status as a coloured chip; CRASHED is outlined so it never reads like FAILED or KILLED. */
export function StatusChip({ status }: { status: string }) {
  return (
    <span
      className={`chip ${status}`}
      data-status={status}
      title={status === 'CRASHED' ? 'the process died without ending the run (no heartbeat)' : undefined}
    >
      {status}
    </span>
  );
}

/** One badge per anomaly rule name; red for `error` severity, amber for `warning`. */
export function AnomalyBadges({ rules }: { rules: readonly string[] }) {
  return (
    <>
      {rules.map((rule) => (
        <span key={rule} className={`badge ${ruleSeverity(rule)}`} data-rule={rule}>
          {rule}
        </span>
      ))}
    </>
  );
}

/** A number cell: non-finite values in red as NaN / +Inf / −Inf. */
export function Num({ value, digits }: { value: number | null | undefined; digits?: number }) {
  const text = formatValue(value, digits);
  return (
    <span className={typeof value === 'number' && !Number.isFinite(value) ? 'nonfinite' : undefined}>
      {text}
    </span>
  );
}
