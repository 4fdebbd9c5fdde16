import type * as tf from '@tensorflow/tfjs';
import type { Dataset, Example } from '@kelly/features';
import type { LossFn, NoteDecoding } from '@kelly/models';

export const MODEL_KINDS = ['melody', 'groove', 'emotion', 'emotion-node'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

/** Per-band input normalisation folded into the model as a frozen first layer (so RTNeural gets raw features). */
export interface InputNorm {
  mean: number[];
  std: number[];
}

/** What a model is built from: the per-example shapes a dataset declares (no batch axis). */
export type ModelShapes = Pick<Dataset, 'inputShape' | 'outputShape'>;

/** Loss weights of a run (`config.training`): see `MelodyLossWeights` in @kelly/models. */
export interface LossOptions {
  positiveWeight: number;
  onsetWeight: number;
  offsetWeight: number;
}

/** Model-ready tensors of one split: x [n, frames, in], y [n, frames, out]. */
export interface SplitTensors {
  x: tf.Tensor3D;
  y: tf.Tensor3D;
}

/** Validation metrics (keys without the `val_` prefix) plus the trivial baselines they must beat. */
export interface Evaluation {
  metrics: Record<string, number>;
}

export interface BaselineCheck {
  /** True when the model beats every trivial baseline on validation. */
  ok: boolean;
  /** The baselines' scores, logged as `baseline_*` metrics. */
  baselines: Record<string, number>;
  /** One line a person can read, e.g. "f1 0.41 > all-zeros 0 and majority-pitch 0.08". */
  detail: string;
}

/**
 * What differs between the four trainers; the training loop, tracking and export are shared.
 * Every model outputs one vector per input frame (RTNeural streaming semantics).
 */
export interface Task {
  kind: ModelKind;
  /** Tracking experiment name, e.g. `melodytransformer`. */
  experiment: string;
  /**
   * Builds the model for inputs/targets of `shapes`; `norm` (from the training split) becomes a frozen first
   * layer when the task uses one. Gradient workers call it too, with the shapes alone.
   */
  createModel(
    modelConfig: Record<string, number>,
    shapes: ModelShapes,
    norm: InputNorm | null,
  ): tf.LayersModel;
  /** Whether inputs get a normalisation layer (log-mel: yes). */
  normalizesInput: boolean;
  /** The training (and val_loss) objective; the weights only matter for multi-label (piano-roll) targets. */
  makeLoss(options: LossOptions): LossFn;
  toTensors(examples: readonly Example[], dataset: Dataset): SplitTensors;
  /**
   * Validation metrics from predictions `pred` (flat, [n, frames, out]) on `examples`; `noteDecoding` (melody) is
   * the run's note decoding, for note-level metrics.
   */
  evaluate(
    pred: Float32Array,
    examples: readonly Example[],
    dataset: Dataset,
    noteDecoding?: NoteDecoding,
  ): Record<string, number>;
  /** Compares validation metrics with trivial baselines computed from the training split. */
  baselineCheck(metrics: Record<string, number>, dataset: Dataset): BaselineCheck;
  /** Model card (markdown) describing inputs, outputs and their units (melody: and the note decoding). */
  modelCard(dataset: Dataset, modelConfig: Record<string, number>, noteDecoding?: NoteDecoding): string;
}
