import type { RtneuralValidator } from '@kelly/registry';
import type { Tracker } from '@kelly/tracking';
import { loadRtneuralValidator } from './rtneural-validator';

/** What every procedure gets. No request: tests build it directly. */
export interface Context {
  /** The tracker over the store. */
  tracker: Tracker;
  /** The strict RTNeural validator used by the promotion gates (loaded on first use). */
  loadValidator: () => Promise<RtneuralValidator>;
}

/** Builds the context from an opened tracker (route handler: the server's tracker; tests: one on a temp file). */
export function createContextInner(opts: {
  tracker: Tracker;
  loadValidator?: () => Promise<RtneuralValidator>;
}): Context {
  return { tracker: opts.tracker, loadValidator: opts.loadValidator ?? loadRtneuralValidator };
}
