import { synthClipAudio, type Dataset } from '@kelly/features';
import type { RunHandle } from '@kelly/tracking';
import type { RunConfig } from '../run-config';
import { logMelImage } from './media-images';
import { predictionMedia, type MediaItem } from './prediction-media';

/** Up to `count` validation clip indices, evenly spread and fixed for the whole run. */
export function mediaClips(validationSize: number, count: number): number[] {
  if (validationSize === 0 || count === 0) return [];
  const n = Math.min(count, validationSize);
  return [...new Set(Array.from({ length: n }, (_, i) => Math.floor((i * validationSize) / n)))];
}

/**
 * Epochs whose model gets prediction media during training: the first and every ⌈epochs/4⌉-th, never the
 * last (the finalize stage logs the best epoch's model at that step).
 */
export function mediaEpochs(epochs: number): Set<number> {
  const every = Math.max(1, Math.ceil(epochs / 4));
  const out = new Set<number>();
  for (let e = 1; e < epochs; e++) if (e === 1 || e % every === 0) out.add(e);
  return out;
}

/**
 * What the trainer shows a person besides numbers, for a fixed set of validation clips: their input (audio
 * when the dataset can regenerate it, and the log-mel image) once at step 0, then prediction media (see
 * `predictionMedia`) at {@link mediaEpochs} and for the best epoch's model. Media never fails a run: an
 * error is reported once through `warn` and media logging stops. `seconds` is the wall time spent here.
 */
export class TrainingMedia {
  readonly clips: number[];
  private readonly epochs: Set<number>;
  private broken = false;
  seconds = 0;

  constructor(
    private readonly run: RunHandle,
    private readonly config: RunConfig,
    private readonly dataset: Dataset,
    private readonly warn: (line: string) => void,
  ) {
    this.clips = config.media.enabled ? mediaClips(dataset.validation.length, config.media.clips) : [];
    this.epochs = mediaEpochs(config.training.epochs);
  }

  /** Whether prediction media is due after this epoch. */
  due(epoch: number): boolean {
    return this.clips.length > 0 && this.epochs.has(epoch);
  }

  /** Input audio and log-mel image of the clips, at step 0. */
  async logInputs(): Promise<void> {
    if (this.clips.length === 0) return;
    await this.timed(async () => {
      const { dataset, config } = this;
      const examples = this.clips.map((i) => dataset.validation[i]!);
      const items: MediaItem[] = [];
      const kind = config.model;
      if (kind !== 'groove') {
        const [frames, bands] = [dataset.inputShape[0] ?? 0, dataset.inputShape[1] ?? 0];
        for (const e of examples)
          items.push({
            kind: 'image',
            key: `clip/${e.id}/log-mel`,
            ...logMelImage(e.x, frames, bands).image(),
            caption: `model input: log-mel, ${frames} frames × ${bands} bands (low bands at the bottom)`,
          });
        if (config.data.source.type === 'synth') {
          const d = config.data;
          const audio = await synthClipAudio(
            kind,
            {
              seed: d.seed,
              size: d.size,
              clipFrames: d.clipFrames,
              ...(d.thesaurus ? { thesaurusDir: d.thesaurus } : {}),
            },
            examples.map((e) => e.id),
          );
          examples.forEach((e, i) =>
            items.push({
              kind: 'audio',
              key: `clip/${e.id}/input-audio`,
              samples: audio[i]!,
              sampleRate: dataset.featureSpec.sampleRate,
              caption: 'the clip as the model heard it (16 kHz)',
            }),
          );
        }
      }
      await this.store(items, 0, undefined);
    });
  }

  /** Prediction media from validation outputs `pred` (flat, whole validation split) at `step`. */
  async logPredictions(pred: Float32Array, step: number, epoch: number, when: string): Promise<void> {
    if (this.clips.length === 0) return;
    await this.timed(async () => {
      const items = await predictionMedia({
        kind: this.config.model,
        dataset: this.dataset,
        pred,
        clips: this.clips,
        when,
        ...(this.config.noteDecoding ? { noteDecoding: this.config.noteDecoding } : {}),
      });
      await this.store(items, step, epoch);
    });
  }

  private async store(items: MediaItem[], step: number, epoch: number | undefined): Promise<void> {
    for (const item of items) {
      const r = await this.run.logMedia({ ...item, step, ...(epoch === undefined ? {} : { epoch }) });
      if (!r.stored) {
        this.warn(`trainer: media logging stopped: ${r.reason}`);
        this.broken = true;
        return;
      }
    }
  }

  private async timed(fn: () => Promise<void>): Promise<void> {
    if (this.broken) return;
    const t0 = performance.now();
    try {
      await fn();
    } catch (e) {
      this.broken = true;
      this.warn(`trainer: media logging failed and is off for this run: ${(e as Error).message}`);
    } finally {
      this.seconds += (performance.now() - t0) / 1000;
    }
  }
}
