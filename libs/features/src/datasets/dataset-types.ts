import type { FeatureSpec } from '../dsp/feature-spec';

/** The four models' datasets. */
export type DatasetKind = 'melody' | 'groove' | 'emotion' | 'emotion-node';

/**
 * One training example with typed arrays ready for tfjs (`tf.tensor(x, xShape)`).
 * Shapes are per example (no batch axis). Melody: x [T][64] log-mel, y [T][128] piano roll (0/1).
 */
export interface Example {
  /** Unique clip name, e.g. `melody-000017`; validation reports name clips by it. */
  readonly id: string;
  readonly x: Float32Array;
  readonly xShape: readonly number[];
  readonly y: Float32Array;
  readonly yShape: readonly number[];
  /** Class index for classification datasets (emotion: 0…6, emotion-node: node 0…215). */
  readonly label?: number;
  /** Free-form provenance (scale, bpm, source file …); JSON-serialisable. */
  readonly meta?: Readonly<Record<string, string | number | boolean>>;
}

export interface Dataset {
  /** Human-readable, stable id, e.g. `synth-melody-v1-s42-n160-t156`. */
  readonly id: string;
  readonly kind: DatasetKind;
  /** SHA-256 (hex) of the spec, ids, shapes and every byte of x and y, in split order. */
  readonly hash: string;
  readonly featureSpec: FeatureSpec;
  /** Per-example shapes all examples share. */
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  /** Class names for classification datasets (index = label). */
  readonly labels?: readonly string[];
  readonly train: readonly Example[];
  readonly validation: readonly Example[];
  /** Held-out split when the source defines one (MAESTRO's `test`); never used for training. */
  readonly test?: readonly Example[];
  /** Markdown: what is generated or loaded, how, and the exact target definition. */
  readonly card: string;
}

/** Knobs every synthetic builder takes. */
export interface SynthOptions {
  /** Master seed; same seed + options → byte-identical dataset (same `hash`). */
  readonly seed?: number;
  /** Number of clips (train + validation). */
  readonly size?: number;
  /** Frames per clip (hop 256 @ 16 kHz = 16 ms); clip samples = (clipFrames − 1)·256, ≤ 5 s. */
  readonly clipFrames?: number;
  /** Fraction of clips in validation, 0 < f < 1 (default 0.2). */
  readonly validationFraction?: number;
  /** Add noise and a small room (feedback-delay) to the rendered audio. Default false. */
  readonly augment?: boolean;
  /** Render and extract in this many worker threads (default 1 = in-process). Output is identical for any count. */
  readonly workers?: number;
}
