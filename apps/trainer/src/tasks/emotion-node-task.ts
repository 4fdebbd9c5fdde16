import { EMOTION_NODE_TARGET_LAYOUT } from '@kelly/features';
import {
  classificationMetrics,
  createEmotionNodeClassifier,
  EMOTION_NODE_OUTPUTS,
  EMOTION_NODE_SLICES,
  emotionNodeLoss,
  meanAbsoluteError,
} from '@kelly/models';
import { clipArgmax, labelsOf, majorityAccuracy } from './clip-scores';
import { clipTensors, tileFrames } from './clip-tensors';
import { withInputNorm } from './input-norm';
import type { Task } from './task';

const S = EMOTION_NODE_SLICES;
const W = EMOTION_NODE_OUTPUTS;

/**
 * EmotionNodeClassifier: log-mel [T][64] → one dense output of 259 per frame, sliced into the 216-node,
 * 6-coarse and 36-mid heads and an intensity logit (see EMOTION_NODE_SLICES and the model card).
 */
export const emotionNodeTask: Task = {
  kind: 'emotion-node',
  experiment: 'emotionnodeclassifier',
  normalizesInput: true,
  makeLoss: () => emotionNodeLoss,
  createModel(modelConfig, shapes, norm) {
    if (shapes.outputShape[0] !== W)
      throw new Error(
        `emotion-node: targets have ${shapes.outputShape[0]} values, the model's output has ${W}`,
      );
    // The targets follow the features' layout; the model refuses it unless levels and slices match its heads.
    return withInputNorm(
      createEmotionNodeClassifier(
        { ...modelConfig, inputBands: shapes.inputShape[1] ?? 64, inputNorm: true },
        EMOTION_NODE_TARGET_LAYOUT,
      ),
      norm,
    );
  },
  toTensors: (examples, dataset) => clipTensors(examples, dataset, W, (e, frames) => tileFrames(e.y, frames)),
  evaluate(pred, examples, dataset) {
    const frames = dataset.inputShape[0] ?? 0;
    const n = examples.length;
    const score = (slice: { start: number; end: number }) => {
      const m = classificationMetrics(
        clipArgmax(pred, n, frames, W, slice.start, slice.end),
        labelsOf(examples, slice.start, slice.end),
        slice.end - slice.start,
      );
      return m;
    };
    const coarse = score(S.coarse);
    const mid = score(S.mid);
    const node = score(S.node);
    const intensity = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let t = 0; t < frames; t++)
        sum += 1 / (1 + Math.exp(-(pred[(i * frames + t) * W + S.intensity.start] ?? 0)));
      intensity[i] = sum / frames;
    }
    const intensityTarget = Float32Array.from(examples, (e) => e.y[S.intensity.start] ?? 0);
    return {
      coarse_accuracy: coarse.accuracy,
      coarse_macro_f1: coarse.macroF1,
      mid_accuracy: mid.accuracy,
      node_accuracy: node.accuracy,
      intensity_mae: meanAbsoluteError(intensity, intensityTarget),
    };
  },
  baselineCheck(metrics, dataset) {
    const c = S.coarse;
    const majority = majorityAccuracy(
      labelsOf(dataset.train, c.start, c.end),
      labelsOf(dataset.validation, c.start, c.end),
    );
    const baselines = {
      coarse_accuracy_chance: 1 / (c.end - c.start),
      coarse_accuracy_majority_class: majority.accuracy,
    };
    const acc = metrics.coarse_accuracy ?? 0;
    const ok = acc > baselines.coarse_accuracy_chance && acc > baselines.coarse_accuracy_majority_class;
    return {
      ok,
      baselines,
      detail: `val coarse accuracy ${acc.toFixed(3)} vs chance ${baselines.coarse_accuracy_chance.toFixed(3)}, majority ${baselines.coarse_accuracy_majority_class.toFixed(3)}`,
    };
  },
  modelCard(dataset, modelConfig) {
    const rows = Object.entries(S).map(
      ([name, s]) => `| ${name} | [${s.start}, ${s.end}) | ${s.end - s.start} | ${s.apply} | ${s.meaning} |`,
    );
    return [
      '# EmotionNodeClassifier',
      '',
      `Input per frame: ${dataset.inputShape[1] ?? 64} raw log-mel values; the frozen first dense \`input_norm\` normalises them.`,
      `Layers: LSTM ${modelConfig.lstm1Units ?? 128} → LSTM ${modelConfig.lstm2Units ?? 64} → ONE dense ${W} (linear, written with activation "").`,
      '',
      'The output vector per frame is sliced as follows (half-open ranges); apply the listed function to each slice:',
      '',
      '| head | slice | size | apply | meaning |',
      '|---|---|---|---|---|',
      ...rows,
      '',
      'Hierarchy: node n (0…215) = base·36 + sub·6 + leaf; coarse class = floor(n / 36), mid class = floor(n / 6).',
      'Heads (training): factorised along the hierarchy — node logit = its sub-emotion logit + a leaf term shared by every sub-emotion + a node residual; sub-emotion logit = base logit + a sub term shared by every base + a residual (residuals start at 0). The exported dense is that composition folded into one matrix, so the plugin sees plain logits.',
      'Intensity target = (tier − 1) / 5 in [0, 1]. Loss: sum of the three softmax cross-entropies and the sigmoid cross-entropy of intensity.',
      'Clip decision per head: argmax of the frame-mean of its logits.',
      '',
    ].join('\n');
  },
};
