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
  const metrics = Object.entries(line.metrics).map(([k, v]) => `${k} ${fmt(v)}`).join('  ');
  return `epoch ${line.epoch}/${line.epochs}  ${metrics}  ${line.seconds.toFixed(1)} s  ${line.samplesPerS.toFixed(1)} samples/s${line.best ? '  *best' : ''}`;
}

export function createProgress(mode: 'bar' | 'lines', write: (line: string) => void, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (mode === 'lines') {
    return { step: () => undefined, epoch: (line) => write(formatEpochLine(line)), stop: () => undefined };
  }
  const bar = new SingleBar(
    { format: 'epoch {epoch}/{epochs} [{bar}] step {value}/{total}  loss {loss}  {sps} samples/s  ETA {eta_formatted}', stream, hideCursor: true, clearOnComplete: true },
    Presets.shades_classic,
  );
  let started = false;
  let currentEpoch = -1;
  return {
    step(info) {
      const payload = { epoch: info.epoch, epochs: info.epochs, loss: fmt(info.loss), sps: info.samplesPerS.toFixed(1) };
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
