/**
 * Log-mel of the bench's 60 s signal in a process that loads only the DSP modules (no wasm decoders, no worker
 * transfers): V8's "no ArrayBuffer was ever detached" guarantee holds there until this script detaches one on
 * purpose for its second figure. Run by features.bench.ts as a child; prints one JSON line
 * `{ "logmel_60s_cpu_ms": …, "logmel_60s_cpu_ms_after_detach": … }`.
 */
import { FEATURE_SPEC, frameCount } from '../src/dsp/feature-spec';
import { logMel } from '../src/dsp/log-mel';

/** The same 60 s log chirp + noise as features.bench.ts. */
export function sixtySeconds(): Float32Array {
  const n = 60 * 16000;
  const x = new Float32Array(n);
  let s = 7;
  const T = 60;
  const k = Math.log(7500 / 50);
  for (let i = 0; i < n; i++) {
    const t = i / 16000;
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    x[i] =
      0.5 * Math.sin(((2 * Math.PI * 50 * T) / k) * (Math.exp((k * t) / T) - 1)) +
      0.05 * (2 * (s / 4294967296) - 1);
  }
  return x;
}

/** Median CPU ms (user + system) of 9 calls of logMel(x), after 3 warm-up calls. */
function medianCpuMs(x: Float32Array): number {
  for (let r = 0; r < 3; r++) logMel(x);
  const cpu: number[] = [];
  for (let r = 0; r < 9; r++) {
    const c0 = process.cpuUsage();
    logMel(x);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return cpu.sort((a, b) => a - b)[4]!;
}

export function main(): number {
  const x = sixtySeconds();
  if (logMel(x).frames !== frameCount(x.length, FEATURE_SPEC)) throw new Error('logMel: wrong frame count');
  const intact = medianCpuMs(x);
  // Detach one ArrayBuffer (as a worker transfer or wasm memory.grow would): V8 then checks typed-array accesses.
  structuredClone(new ArrayBuffer(8), { transfer: [new ArrayBuffer(8)] });
  const detached = medianCpuMs(x);
  process.stdout.write(
    `${JSON.stringify({ logmel_60s_cpu_ms: intact, logmel_60s_cpu_ms_after_detach: detached })}\n`,
  );
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = main();
