/**
 * Part 1 of `npm run bench -- features`: log-mel of 60 s (the log chirp + noise of logmel-isolated.ts) vs the
 * bare real FFTs of the same pre-windowed frames, CPU and wall time, interleaved, median of 9; then the same
 * again after detaching an ArrayBuffer on purpose, and log-mel in a child process that loads only the DSP modules.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import FFT from 'fft.js';
import { log, median, round } from './bench-format';
import { sixtySeconds } from './logmel-isolated';
import { FEATURE_SPEC, PowerSpectrum, frameCount, logMel } from '../src/index';

/** @returns figures in ms (CPU unless named wall), keyed as they appear in the bench JSON. */
export function logMelVsFft(): Record<string, number> {
  const x = sixtySeconds();
  const frames = frameCount(x.length);
  // The same frames, windowed once up front, so the baseline is the transforms alone.
  const ps = new PowerSpectrum(FEATURE_SPEC);
  const windowed: Float64Array[] = [];
  for (let t = 0; t < frames; t++) {
    const f = new Float64Array(1024);
    const first = t * 256 - 512;
    for (let i = 0; i < 1024; i++) {
      const j = first + i;
      f[i] = j >= 0 && j < x.length ? x[j]! * ps.window[i]! : 0;
    }
    windowed.push(f);
  }
  const fftOnly = (): void => {
    for (const f of windowed) {
      ps.frame.set(f);
      ps.transformOnly();
    }
  };
  const copyOnly = (): void => {
    for (const f of windowed) ps.frame.set(f);
  };
  const fftjs = new FFT(1024);
  const fftjsOut = new Float64Array(2048);
  const fftJsOnly = (): void => {
    for (const f of windowed) fftjs.realTransform(fftjsOut, f);
  };
  logMel(x);
  fftOnly();
  fftJsOnly();
  // Wall time and this process's CPU time (user + system) per call: on a shared, overloaded machine the CPU time
  // is the steadier of the two, and the goal is judged on it (both are reported).
  const wall = { mel: [] as number[], fft: [] as number[], copy: [] as number[], fftjs: [] as number[] };
  const cpu = { mel: [] as number[], fft: [] as number[], copy: [] as number[], fftjs: [] as number[] };
  const time = (key: keyof typeof wall, f: () => void): void => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    f();
    wall[key].push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu[key].push((c.user + c.system) / 1000);
  };
  const rounds = (): void => {
    for (let r = 0; r < 9; r++) {
      time('mel', () => logMel(x));
      time('fft', fftOnly);
      time('copy', copyOnly);
      time('fftjs', fftJsOnly);
    }
  };
  rounds();
  const mel = median(cpu.mel);
  const fft = median(cpu.fft) - median(cpu.copy);
  const fftjsMs = median(cpu.fftjs);
  const melWall = median(wall.mel);
  const fftWall = median(wall.fft) - median(wall.copy);
  log(`log-mel 60 s: ${mel.toFixed(1)} ms; bare FFTs of the ${frames} frames: ${fft.toFixed(1)} ms`);
  // Again after detaching an ArrayBuffer on purpose (what wasm memory.grow in the MP3 decoder or a worker's
  // transfer list does in a real process): V8 then checks typed-array accesses for detachment. Loading the
  // library may already have done this; here it has certainly happened.
  structuredClone(new ArrayBuffer(8), { transfer: [new ArrayBuffer(8)] });
  for (const k of Object.keys(cpu) as (keyof typeof cpu)[]) cpu[k].length = wall[k].length = 0;
  logMel(x);
  rounds();
  const melDetached = median(cpu.mel);
  const fftDetached = median(cpu.fft) - median(cpu.copy);
  log(
    `after a forced detach: log-mel 60 s ${melDetached.toFixed(1)} ms; bare FFTs ${fftDetached.toFixed(1)} ms`,
  );
  // The same log-mel in a child process that loads only the DSP modules (nothing there detaches a buffer until
  // it does so on purpose for its second figure).
  const isolatedScript = fileURLToPath(new URL('./logmel-isolated.ts', import.meta.url));
  const isolated = JSON.parse(
    execFileSync(process.execPath, ['--import', 'tsx', isolatedScript], { encoding: 'utf8' }),
  ) as {
    logmel_60s_cpu_ms: number;
    logmel_60s_cpu_ms_after_detach: number;
  };
  log(
    `log-mel 60 s in a process with only the DSP modules loaded: ${isolated.logmel_60s_cpu_ms.toFixed(1)} ms, after a forced detach ${isolated.logmel_60s_cpu_ms_after_detach.toFixed(1)} ms`,
  );
  return {
    logmel_60s_cpu_ms: round(mel),
    logmel_60s_cpu_ms_after_detach: round(melDetached),
    logmel_60s_cpu_ms_dsp_only_process: round(isolated.logmel_60s_cpu_ms),
    logmel_60s_cpu_ms_dsp_only_process_after_detach: round(isolated.logmel_60s_cpu_ms_after_detach),
    bare_fft_60s_cpu_ms: round(fft),
    bare_fft_60s_cpu_ms_after_detach: round(fftDetached),
    fftjs_realtransform_60s_cpu_ms: round(fftjsMs),
    logmel_60s_wall_ms: round(melWall),
    bare_fft_60s_wall_ms: round(fftWall),
    frames,
    realtime_factor_cpu: round(60000 / mel, 0),
  };
}
