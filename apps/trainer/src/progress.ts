import { SingleBar, Presets } from 'cli-progress';

export interface StepInfo {
  epoch: number;
  epochs: number;
  step: number;
  stepsPerEpoch: number;
  loss: number;
  samplesPerS: number;
}

export interface EpochLine {
  epoch: number;
  epochs: number;
  metrics: Record<string, number>;
  seconds: number;
  samplesPerS: number;
  best: boolean;
}

/** Training progress: a bar on a TTY (epoch, step, loss, samples/s, ETA), else one line per epoch. */
export interface Progress {
  step(info: StepInfo): void;
  epoch(line: EpochLine): void;
  stop(): void;
}

const fmt = (v: number): string => (Math.abs(v) >= 100 || v === 0 ? v.toFixed(1) : v.toPrecision(4));

export function formatEpochLine(line: EpochLine): string {
  const metrics = Object.entries(line.metrics)
    .map(([k, v]) => `${k} ${fmt(v)}`)
    .join('  ');
  return `epoch ${line.epoch}/${line.epochs}  ${metrics}  ${line.seconds.toFixed(1)} s  ${line.samplesPerS.toFixed(1)} samples/s${line.best ? '  *best' : ''}`;
}

export function createProgress(
  mode: 'bar' | 'lines',
  write: (line: string) => void,
  stream: NodeJS.WriteStream = process.stderr,
): Progress {
  if (mode === 'lines') {
    return { step: () => undefined, epoch: (line) => write(formatEpochLine(line)), stop: () => undefined };
  }
  const bar = new SingleBar(
    {
      format:
        'epoch {epoch}/{epochs} [{bar}] step {value}/{total}  loss {loss}  {sps} samples/s  ETA epoch {eta_formatted}, run {run_eta}',
      stream,
      hideCursor: true,
      clearOnComplete: true,
    },
    Presets.shades_classic,
  );
  let started = false;
  let currentEpoch = -1;
  let t0 = 0;
  let done = 0;
  return {
    step(info) {
      if (done === 0) t0 = performance.now();
      done++;
      // Whole-run ETA from the mean step time so far (validation time not included).
      const remaining = (info.epochs - info.epoch) * info.stepsPerEpoch + (info.stepsPerEpoch - info.step);
      const runEta = done > 1 ? ((performance.now() - t0) / 1000 / (done - 1)) * remaining : Number.NaN;
      const payload = {
        epoch: info.epoch,
        epochs: info.epochs,
        loss: fmt(info.loss),
        sps: info.samplesPerS.toFixed(1),
        run_eta: Number.isFinite(runEta) ? `${Math.round(runEta)}s` : '…',
      };
      if (!started || currentEpoch !== info.epoch) {
        if (started) bar.stop();
        bar.start(info.stepsPerEpoch, info.step, payload);
        started = true;
        currentEpoch = info.epoch;
      } else bar.update(info.step, payload);
    },
    epoch(line) {
      if (started) bar.stop();
      started = false;
      write(formatEpochLine(line));
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}
