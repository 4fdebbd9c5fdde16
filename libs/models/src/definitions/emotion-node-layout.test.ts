import { EMOTION_NODE_TARGET_LAYOUT, emotionNodeLayout, type EmotionNodeLayout } from '@kelly/features';
import { describe, expect, it } from 'vitest';
import {
  assertEmotionNodeLayout,
  createEmotionNodeClassifier,
  EMOTION_NODE_COUNTS,
  EMOTION_NODE_OUTPUTS,
  EMOTION_NODE_SLICES,
} from './emotion-node-classifier';

describe('EmotionNodeClassifier layout', () => {
  it('its heads are the dataset target layout of @kelly/features (6×6×6 = 216 + 6 + 36 + 1)', () => {
    const L = EMOTION_NODE_TARGET_LAYOUT;
    expect(EMOTION_NODE_COUNTS).toEqual({ fine: 216, mid: 36, coarse: 6 });
    expect(EMOTION_NODE_OUTPUTS).toBe(259);
    expect([EMOTION_NODE_SLICES.node.start, EMOTION_NODE_SLICES.node.end]).toEqual([...L.node]);
    expect([EMOTION_NODE_SLICES.coarse.start, EMOTION_NODE_SLICES.coarse.end]).toEqual([...L.base]);
    expect([EMOTION_NODE_SLICES.mid.start, EMOTION_NODE_SLICES.mid.end]).toEqual([...L.sub]);
    expect([EMOTION_NODE_SLICES.intensity.start, EMOTION_NODE_SLICES.intensity.end]).toEqual([
      ...L.intensity,
    ]);
    expect(() => assertEmotionNodeLayout(L)).not.toThrow();
  });

  it('refuses other levels even when the total size is the same', () => {
    // 3 bases × 5 subs × 16 leaves = 240 nodes + 3 + 15 + 1 = 259 values: right size, wrong hierarchy.
    const other = emotionNodeLayout({ base: 3, sub: 5, leaf: 16 });
    expect(other.size).toBe(EMOTION_NODE_OUTPUTS);
    expect(() => assertEmotionNodeLayout(other)).toThrow(/levels\.base is 3, the model is built for 6/);
    expect(() => createEmotionNodeClassifier({ lstm1Units: 4, lstm2Units: 4 }, other)).toThrow(
      /levels\.base is 3/,
    );
  });

  it('refuses a layout whose slices are moved, naming the slice', () => {
    const L = EMOTION_NODE_TARGET_LAYOUT;
    const swapped: EmotionNodeLayout = { ...L, base: [222, 228], sub: [228, 258] };
    expect(() => assertEmotionNodeLayout(swapped)).toThrow(
      /slice base is \[222, 228\), the model's head is \[216, 222\)/,
    );
  });
});
