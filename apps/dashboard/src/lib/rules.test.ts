import { RULES, severityOf } from '@kelly/tracking';
import { expect, it } from 'vitest';
import { ruleSeverity } from './rules';

it('colours every rule with the severity the tracking lib gives it', () => {
  for (const rule of RULES) expect(ruleSeverity(rule), rule).toBe(severityOf(rule));
});
