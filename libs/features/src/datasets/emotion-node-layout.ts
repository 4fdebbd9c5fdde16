/**
 * The emotion hierarchy the EmotionNodeClassifier learns: 6 base emotions × 6 sub-emotions × 6
 * intensity-graded leaves = 216 nodes. Node n = base·36 + sub·6 + leaf; its sub-emotion (global index
 * base·6 + sub) is floor(n / 6) and its base emotion floor(n / 36).
 */
export const EMOTION_NODE_LEVELS = Object.freeze({ base: 6, sub: 6, leaf: 6 });

/** Per-level counts of a hierarchy: base emotions, sub-emotions per base, leaves per sub-emotion. */
export interface EmotionNodeLevels {
  readonly base: number;
  readonly sub: number;
  readonly leaf: number;
}

/** A target/output vector layout: half-open [start, end) slices and the total size. */
export interface EmotionNodeLayout {
  readonly levels: EmotionNodeLevels;
  /** one-hot over the base·sub·leaf nodes, index = base·(sub·leaf) + sub·leaf + leaf */
  readonly node: readonly [number, number];
  /** one-hot over the base emotions */
  readonly base: readonly [number, number];
  /** one-hot over the base·sub sub-emotions, index = base·sub + sub */
  readonly sub: readonly [number, number];
  /** intensity = (tier − 1) / 5 for tiers 1…6, in [0, 1] */
  readonly intensity: readonly [number, number];
  readonly size: number;
}

/** The layout of `levels`: node, base, sub and intensity slices one after another. */
export function emotionNodeLayout(levels: EmotionNodeLevels): EmotionNodeLayout {
  const nodes = levels.base * levels.sub * levels.leaf;
  const subs = levels.base * levels.sub;
  const base = nodes + levels.base;
  const sub = base + subs;
  return Object.freeze({
    levels,
    node: [0, nodes] as const,
    base: [nodes, base] as const,
    sub: [base, sub] as const,
    intensity: [sub, sub + 1] as const,
    size: sub + 1,
  });
}

/** EmotionNodeClassifier target (and output): one vector of 259 values = 216 + 6 + 36 + 1. */
export const EMOTION_NODE_TARGET_LAYOUT: EmotionNodeLayout = emotionNodeLayout(EMOTION_NODE_LEVELS);
