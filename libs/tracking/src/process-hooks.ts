/**
 * Process-level hooks a tracker installs while it has active runs, and removes when the last one ends:
 * - SIGINT / SIGTERM: `onSignal` (optional, e.g. save a checkpoint) runs first, then every active run is flushed
 *   and marked KILLED; then the signal is re-raised so the process still dies with it — unless the app has its
 *   own listener for that signal, in which case the app decides what happens next.
 * - `exit`: buffers are flushed synchronously and open runs are closed (FINISHED on exit code 0, else FAILED).
 */
export type SignalName = 'SIGINT' | 'SIGTERM';

export interface ProcessHookTarget {
  /** Called once per signal, may be async. */
  onSignal(signal: SignalName): Promise<void>;
  /** Must be synchronous (runs inside process 'exit'). */
  onExit(code: number): void;
}

const SIGNALS: SignalName[] = ['SIGINT', 'SIGTERM'];

export class ProcessHooks {
  private installed = false;
  private readonly signalListeners = new Map<SignalName, () => void>();
  private readonly exitListener = (code: number) => this.target.onExit(code);

  constructor(
    private readonly target: ProcessHookTarget,
    private readonly handleSignals: boolean,
  ) {}

  install(): void {
    if (this.installed) return;
    this.installed = true;
    process.on('exit', this.exitListener);
    if (!this.handleSignals) return;
    for (const signal of SIGNALS) {
      const listener = () => void this.handle(signal);
      this.signalListeners.set(signal, listener);
      process.on(signal, listener);
    }
  }

  uninstall(): void {
    if (!this.installed) return;
    this.installed = false;
    process.off('exit', this.exitListener);
    for (const [signal, listener] of this.signalListeners) process.off(signal, listener);
    this.signalListeners.clear();
  }

  private async handle(signal: SignalName): Promise<void> {
    try {
      await this.target.onSignal(signal);
    } finally {
      this.uninstall();
      // Re-raise with the default action (terminate) unless someone else listens for it.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    }
  }
}
