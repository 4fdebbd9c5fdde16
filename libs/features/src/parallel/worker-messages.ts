import type { DatasetKind, Example } from '../datasets/dataset-types';
import type { ClipOptions } from '../datasets/synth-clips';
import type { FeatureMatrix } from '../dsp/log-mel';

/** Work a feature worker thread accepts. */
export type WorkerTask =
  | {
      readonly type: 'clips';
      readonly kind: DatasetKind;
      readonly options: ClipOptions;
      readonly indices: readonly number[];
    }
  /** Log-mel of in-memory audio (16 kHz mono) or of an audio file (decoded, mixed, resampled to 16 kHz). */
  | { readonly type: 'logmel'; readonly inputs: readonly (Float32Array | string)[] }
  /** Piano recordings decoded by the main thread, to seed the worker's cache (see primePianoCache). */
  | { readonly type: 'piano'; readonly samples: readonly (readonly [number, Float32Array])[] };

export type WorkerResult =
  | { readonly type: 'clips'; readonly examples: Example[] }
  | { readonly type: 'logmel'; readonly features: FeatureMatrix[] }
  | { readonly type: 'ok' }
  | { readonly type: 'error'; readonly message: string; readonly stack?: string };
