import type { NativeRtneuralCheck, RtneuralValidator } from '@kelly/registry';
import type { Tracker } from '@kelly/tracking';
import { loadNativeCheck } from './native-check';
import { loadRtneuralValidator } from './rtneural-validator';

/** What every procedure gets. No request: tests build it directly. */
export interface Context {
  /** The tracker over the store. */
  tracker: Tracker;
  /** The strict RTNeural validator used by the promotion gates (loaded on first use). */
  loadValidator: () => Promise<RtneuralValidator>;
  /** The native RTNeural check of the `native-rtneural` gate (loaded on first use). */
  loadNativeCheck: () => Promise<NativeRtneuralCheck>;
}

/** Builds the context from an opened tracker (route handler: the server's tracker; tests: one on a temp file). */
export function createContextInner(opts: {
  tracker: Tracker;
  loadValidator?: () => Promise<RtneuralValidator>;
  loadNativeCheck?: () => Promise<NativeRtneuralCheck>;
}): Context {
  return {
    tracker: opts.tracker,
    loadValidator: opts.loadValidator ?? loadRtneuralValidator,
    loadNativeCheck: opts.loadNativeCheck ?? loadNativeCheck,
  };
}
