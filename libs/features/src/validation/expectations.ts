import { FEATURE_SPEC, logFloor, type FeatureSpec } from '../dsp/feature-spec';
import type { DatasetKind } from '../datasets/dataset-types';
import { EMOTION_LABELS } from '../datasets/emotion-cues';
import { GROOVE_FEATURES, GROOVE_STEPS } from '../datasets/groove-plan';
import { EMOTION_NODE_TARGET_LAYOUT } from '../datasets/emotion-node-layout';

/** What a model needs from its data. `null` in a shape = any size (e.g. a variable time axis). */
export interface DatasetExpectations {
  readonly kind: DatasetKind;
  readonly featureSpec: FeatureSpec;
  readonly inputShape: readonly (number | null)[];
  readonly outputShape: readonly (number | null)[];
  /** `log-mel`: silent = max value ≤ floor + silenceMargin; `sequence`: silent = all zeros. */
  readonly input: 'log-mel' | 'sequence';
  /**
   * `multilabel`: every value 0 or 1. `onehot`: 0/1, exactly one 1, equal to `label`.
   * `regression`: finite and within `targetRange`. `emotion-node`: EMOTION_NODE_TARGET_LAYOUT slices.
   */
  readonly target: 'multilabel' | 'onehot' | 'regression' | 'emotion-node';
  readonly numClasses?: number;
  readonly targetRange?: readonly [number, number];
  /** Each class must hold at least this fraction of the expected even share in train (default 0.5). */
  readonly minClassShare?: number;
  /** Largest fraction of clips allowed to have all-zero targets (default 0: the zero-loss trap). */
  readonly maxZeroTargetFraction?: number;
  /** Log units above the floor below which a log-mel clip counts as silent (default 1). */
  readonly silenceMargin?: number;
}

/** The expectations of each of the four models for the seed's features. */
export function expectationsFor(kind: DatasetKind, opts: { clipFrames?: number } = {}): DatasetExpectations {
  const T = opts.clipFrames ?? null;
  const base = { kind, featureSpec: FEATURE_SPEC };
  switch (kind) {
    case 'melody':
      return {
        ...base,
        inputShape: [T, FEATURE_SPEC.nMels],
        outputShape: [T, 128],
        input: 'log-mel',
        target: 'multilabel',
      };
    case 'groove':
      return {
        ...base,
        inputShape: [GROOVE_STEPS, GROOVE_FEATURES],
        outputShape: [GROOVE_STEPS],
        input: 'sequence',
        target: 'regression',
        targetRange: [-200, 200],
      };
    case 'emotion':
      return {
        ...base,
        inputShape: [T, FEATURE_SPEC.nMels],
        outputShape: [EMOTION_LABELS.length],
        input: 'log-mel',
        target: 'onehot',
        numClasses: EMOTION_LABELS.length,
      };
    case 'emotion-node':
      return {
        ...base,
        inputShape: [T, FEATURE_SPEC.nMels],
        outputShape: [EMOTION_NODE_TARGET_LAYOUT.size],
        input: 'log-mel',
        target: 'emotion-node',
        numClasses: 216,
      };
  }
}

/** Log-mel value a clip must exceed somewhere to count as not silent. */
export function silenceLevel(e: DatasetExpectations): number {
  return logFloor(e.featureSpec) + (e.silenceMargin ?? 1);
}
