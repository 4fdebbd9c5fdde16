import { describe, expect, it } from 'vitest';
import { rtneuralFigures } from './rtneural-figures';

describe('rtneuralFigures', () => {
  it('reads both implementations side by side from the last metric values', () => {
    const f = rtneuralFigures([
      { key: 'rtneural_max_abs_err', last: 1.3e-7 },
      { key: 'rtneural_frame_ms', last: 0.77 },
      { key: 'rtneural_realtime_ratio', last: 0.77 / 16 },
      { key: 'native_rtneural_max_abs_err', last: 2e-7 },
      { key: 'native_rtneural_frame_ms', last: 0.03 },
      { key: 'native_rtneural_p99_ms', last: 0.12 },
      { key: 'native_rtneural_hop_share', last: 0.12 / 16 },
      { key: 'val_loss', last: 0.3 },
    ]);
    expect(f).toEqual({
      hopMs: 16,
      native: { maxAbsErr: 2e-7, medianMs: 0.03, p99Ms: 0.12, hopShare: 0.12 / 16 },
      typescript: { maxAbsErr: 1.3e-7, medianMs: 0.77, hopShare: 0.77 / 16 },
    });
  });

  it('a run without native figures has native null; a run with neither gives null', () => {
    expect(rtneuralFigures([{ key: 'rtneural_max_abs_err', last: 1e-6 }])?.native).toBeNull();
    expect(rtneuralFigures([{ key: 'loss', last: 1 }])).toBeNull();
  });
});
