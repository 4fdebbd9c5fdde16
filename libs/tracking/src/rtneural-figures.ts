import { RTNEURAL_CONTRACT } from './rtneural-contract';

/**
 * The RTNeural figures a trainer run records, read back side by side: our TypeScript re-implementation
 * (`rtneural_*`) and the real C++ library (`native_rtneural_*`, see @kelly/rtneural-native). Shown by
 * `kelly runs show` and the dashboard's run page.
 */
export interface RtneuralFigures {
  hopMs: number;
  /** Real RTNeural: max error vs tfjs, median and p99 per-frame ms (thread CPU), p99 share of the hop. */
  native: {
    maxAbsErr: number | null;
    medianMs: number | null;
    p99Ms: number | null;
    hopShare: number | null;
  } | null;
  /** The TypeScript reference: max error vs tfjs, median per-frame ms, the median's share of the hop. */
  typescript: { maxAbsErr: number | null; medianMs: number | null; hopShare: number | null } | null;
}

export const NATIVE_RTNEURAL_METRICS = {
  maxAbsErr: 'native_rtneural_max_abs_err',
  medianMs: 'native_rtneural_frame_ms',
  p99Ms: 'native_rtneural_p99_ms',
  hopShare: 'native_rtneural_hop_share',
} as const;

/** @returns null when the run recorded neither implementation's figures. */
export function rtneuralFigures(metrics: readonly { key: string; last: number }[]): RtneuralFigures | null {
  const last = new Map(metrics.map((m) => [m.key, m.last]));
  const get = (k: string) => last.get(k) ?? null;
  const hop = RTNEURAL_CONTRACT.hopMs;
  /** The recorded share, else derived from the time it rests on. */
  const share = (k: string, ms: number | null) => get(k) ?? (ms === null ? null : ms / hop);
  const n = NATIVE_RTNEURAL_METRICS;
  const native = last.has(n.maxAbsErr)
    ? {
        maxAbsErr: get(n.maxAbsErr),
        medianMs: get(n.medianMs),
        p99Ms: get(n.p99Ms),
        hopShare: get(n.hopShare),
      }
    : null;
  const typescript = last.has('rtneural_max_abs_err')
    ? {
        maxAbsErr: get('rtneural_max_abs_err'),
        medianMs: get('rtneural_frame_ms'),
        hopShare: share('rtneural_realtime_ratio', get('rtneural_frame_ms')),
      }
    : null;
  return native || typescript ? { hopMs: hop, native, typescript } : null;
}
