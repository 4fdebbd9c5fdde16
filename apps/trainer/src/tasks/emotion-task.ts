import { EMOTION_LABELS } from '@kelly/features';
import { classificationMetrics, createEmotionRecognizer, emotionLoss } from '@kelly/models';
import { clipArgmax, frameAccuracy, labelsOf, majorityAccuracy } from './clip-scores';
import { clipTensors, tileFrames } from './clip-tensors';
import { withInputNorm } from './input-norm';
import type { Task } from './task';

const CLASSES = EMOTION_LABELS.length;

/** EmotionRecognizer: log-mel [T][64] → softmax over 7 emotions per frame; clip decision = argmax of the frame mean. */
export const emotionTask: Task = {
  kind: 'emotion',
  experiment: 'emotionrecognizer',
  normalizesInput: true,
  makeLoss: () => emotionLoss,
  createModel(modelConfig, shapes, norm) {
    return withInputNorm(
      createEmotionRecognizer({
        ...modelConfig,
        inputBands: shapes.inputShape[1] ?? 64,
        classes: CLASSES,
        inputNorm: true,
      }),
      norm,
    );
  },
  toTensors: (examples, dataset) =>
    clipTensors(examples, dataset, CLASSES, (e, frames) => tileFrames(e.y, frames)),
  evaluate(pred, examples, dataset) {
    const frames = dataset.inputShape[0] ?? 0;
    const actual = labelsOf(examples);
    const predicted = clipArgmax(pred, examples.length, frames, CLASSES, 0, CLASSES);
    const m = classificationMetrics(predicted, actual, CLASSES);
    return {
      accuracy: m.accuracy,
      macro_f1: m.macroF1,
      frame_accuracy: frameAccuracy(pred, actual, frames, CLASSES, 0, CLASSES),
    };
  },
  baselineCheck(metrics, dataset) {
    const majority = majorityAccuracy(labelsOf(dataset.train), labelsOf(dataset.validation));
    const baselines = { accuracy_chance: 1 / CLASSES, accuracy_majority_class: majority.accuracy };
    const acc = metrics.accuracy ?? 0;
    const ok = acc > baselines.accuracy_chance && acc > baselines.accuracy_majority_class;
    return {
      ok,
      baselines,
      detail: `val accuracy ${acc.toFixed(3)} vs chance ${baselines.accuracy_chance.toFixed(3)}, majority class ${baselines.accuracy_majority_class.toFixed(3)}`,
    };
  },
  modelCard(dataset, modelConfig) {
    return [
      '# EmotionRecognizer',
      '',
      `Input per frame: ${dataset.inputShape[1] ?? 64} raw log-mel values (${JSON.stringify(dataset.featureSpec)}); the frozen first dense \`input_norm\` normalises them.`,
      `Layers: causal conv1d ${modelConfig.convFilters ?? 32} filters, kernel ${modelConfig.kernelSize ?? 5}, tanh (RTNeural conv1d, zero history) → LSTM ${modelConfig.lstmUnits ?? 64} → dense ${CLASSES} softmax.`,
      `Output per frame: probabilities of ${EMOTION_LABELS.map((l, i) => `${i} ${l}`).join(', ')}.`,
      'Clip decision: argmax of the mean of the per-frame probabilities. Loss: categorical cross-entropy per frame. Metrics: clip accuracy, macro-F1, frame accuracy.',
      '',
    ].join('\n');
  },
};
