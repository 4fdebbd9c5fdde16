/** Real-time figure of the TS RTNeural inference: time per frame against the audio hop. */
import { loadRtneuralModel, type RtneuralStreamModel } from './inference';

export interface RealtimeOptions {
  /** Hop between frames in ms (the shipping contract's figure: 16 ms = 256 samples at 16 kHz). */
  hopMs: number;
  /** Timed frames (after warm-up). Default 400. */
  frames?: number;
  /** Untimed warm-up frames (JIT). Default 50. */
  warmup?: number;
}

export interface RealtimeReport {
  /** Median time of one `forward` in ms. */
  perFrameMs: number;
  /** 95th percentile of one `forward` in ms. */
  p95FrameMs: number;
  /** perFrameMs / hopMs; below 1 keeps up with real time on this machine. */
  ratioToHop: number;
  hopMs: number;
  frames: number;
}

/** Deterministic frames in [-1, 1) (LCG), so runs are comparable. */
function testFrames(inSize: number, n: number): Float32Array[] {
  let s = 12345;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
  return Array.from({ length: n }, () => Float32Array.from({ length: inSize }, next));
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

/**
 * Times the streaming model frame by frame: warm-up, then `frames` timed steps grouped in blocks long
 * enough for the timer (≥ ~0.2 ms); per-frame time = block time / block size; median and p95 over blocks.
 */
export function measureRealtime(json: unknown, options: RealtimeOptions): RealtimeReport {
  const hopMs = options.hopMs;
  const total = options.frames ?? 400;
  const warmup = options.warmup ?? 50;
  const model: RtneuralStreamModel = loadRtneuralModel(json);
  const frames = testFrames(model.inSize, 64);
  let k = 0;
  const step = () => model.forward(frames[k++ % frames.length]!);
  const t0 = performance.now();
  for (let i = 0; i < warmup; i++) step();
  const estimate = Math.max((performance.now() - t0) / Math.max(warmup, 1), 1e-6);
  const block = Math.max(1, Math.min(total, Math.ceil(0.2 / estimate)));
  const perFrame: number[] = [];
  for (let done = 0; done < total; done += block) {
    const start = performance.now();
    for (let i = 0; i < block; i++) step();
    perFrame.push((performance.now() - start) / block);
  }
  perFrame.sort((a, b) => a - b);
  const perFrameMs = quantile(perFrame, 0.5);
  return {
    perFrameMs,
    p95FrameMs: quantile(perFrame, 0.95),
    ratioToHop: perFrameMs / hopMs,
    hopMs,
    frames: perFrame.length * block,
  };
}
