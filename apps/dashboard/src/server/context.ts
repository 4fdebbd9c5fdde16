import type { Tracker } from '@kelly/tracking';

/** What every procedure gets: the tracker over the store. No request: tests build it directly. */
export interface Context {
  tracker: Tracker;
}

/** Builds the context from an opened tracker (route handler: the server's tracker; tests: one on a temp file). */
export function createContextInner(opts: { tracker: Tracker }): Context {
  return { tracker: opts.tracker };
}
