/**
 * Severity of each run-health rule, for colouring badges in the browser (which must not import the
 * tracking lib: it opens SQLite). Mirrors RULES/severityOf of @kelly/tracking; rules.test.ts fails if they drift.
 */
export const ERROR_RULES: readonly string[] = [
  'zero_loss',
  'nan_loss',
  'inf_loss',
  'too_short',
  'failed_with_error',
  'no_metrics',
];

export function ruleSeverity(rule: string): 'error' | 'warning' {
  return ERROR_RULES.includes(rule) ? 'error' : 'warning';
}
