import { EMOTION_LABELS, preparePiano, type Dataset, type Example } from '@kelly/features';
import { EMOTION_NODE_SLICES, type NoteDecoding } from '@kelly/models';
import type { AudioMedia, ImageMedia } from '@kelly/tracking';
import { clipArgmax, labelsOf } from '../tasks/clip-scores';
import { GROOVE_UNIT_MS } from '../tasks/groove-task';
import { MELODY_NOTE_DECODING } from '../presets';
import type { ModelKind } from '../tasks/task';
import { confusionImage, confusionMatrix, pianoRollImage, timingImage } from './media-images';
import { rollToNotes } from './roll-notes';

/** A media item without its step (the logger adds step and epoch). */
export type MediaItem = Omit<AudioMedia, 'step' | 'epoch'> | Omit<ImageMedia, 'step' | 'epoch'>;

export interface PredictionContext {
  kind: ModelKind;
  dataset: Dataset;
  /** Model outputs on the whole validation split, flat [n, frames, out]. */
  pred: Float32Array;
  /** Indices into `dataset.validation` of the fixed clips shown every time. */
  clips: readonly number[];
  /** e.g. "epoch 3" or "best epoch 7". */
  when: string;
  /**
   * Melody: the run's `config.noteDecoding` (what its note metrics, model card and registry entry use); a run
   * recorded before it existed gets today's preset decoding.
   */
  noteDecoding?: NoteDecoding;
}

const frameSlice = (pred: Float32Array, i: number, size: number) => pred.subarray(i * size, (i + 1) * size);

async function melodyMedia(c: PredictionContext): Promise<MediaItem[]> {
  const { dataset, pred } = c;
  const frames = dataset.inputShape[0] ?? 0;
  const spec = dataset.featureSpec;
  const hopS = spec.hop / spec.sampleRate;
  const items: MediaItem[] = [];
  for (const i of c.clips) {
    const e = dataset.validation[i]!;
    const p = frameSlice(pred, i, frames * 128);
    const roll = pianoRollImage(e.y, p, frames);
    items.push({
      kind: 'image',
      key: `clip/${e.id}/piano-roll`,
      ...roll.image(),
      caption: `${c.when} · target vs predicted: green hit, orange miss (target only), blue false note (predicted only)`,
    });
    const decoding = c.noteDecoding ?? MELODY_NOTE_DECODING;
    const notes = rollToNotes(p, frames, hopS, decoding);
    const audio = new Float32Array(Math.round(frames * hopS * spec.sampleRate));
    (await preparePiano(notes.map((n) => n.midi))).render(notes, audio);
    items.push({
      kind: 'audio',
      key: `clip/${e.id}/predicted-audio`,
      samples: audio,
      sampleRate: spec.sampleRate,
      caption: `${c.when} · the ${notes.length} predicted notes (the run's note decoding: onset ${decoding.onsetThreshold}, frame ${decoding.frameThreshold}, min ${decoding.minFrames} frames) played with the dataset's piano samples`,
    });
  }
  return items;
}

function grooveMedia(c: PredictionContext): MediaItem[] {
  const steps = c.dataset.inputShape[0] ?? 32;
  const outputs = c.dataset.outputShape[0] ?? 32;
  return c.clips.map((i) => {
    const e = c.dataset.validation[i]!;
    // the estimate after the last grid step is the one evaluated (see groove-task)
    const last = c.pred.subarray((i * steps + steps - 1) * outputs, (i * steps + steps) * outputs);
    const predMs = last.map((v) => v * GROOVE_UNIT_MS);
    const image = timingImage(e.y, predMs);
    // the image's vertical half-range, as timingImage scales it (no text in the raster: the caption says it)
    const range = 1.1 * Math.max(5, ...[...e.y, ...predMs].map((v) => Math.abs(v)));
    return {
      kind: 'image' as const,
      key: `clip/${e.id}/timing`,
      ...image.image(),
      caption: `${c.when} · timing offset per step: target grey bar, predicted blue dot, error red; top/bottom edge ±${range.toFixed(1)} ms, beats every 4 steps`,
    };
  });
}

function confusion(
  key: string,
  title: string,
  c: PredictionContext,
  width: number,
  slice: { start: number; end: number },
  labels: readonly string[] | null,
): MediaItem {
  const frames = c.dataset.inputShape[0] ?? 0;
  const examples: readonly Example[] = c.dataset.validation;
  const k = slice.end - slice.start;
  const predicted = clipArgmax(c.pred, examples.length, frames, width, slice.start, slice.end);
  const actual =
    width === k && slice.start === 0 ? labelsOf(examples) : labelsOf(examples, slice.start, slice.end);
  const m = confusionMatrix(actual, predicted, k);
  const correct = m.reduce((s, row, i) => s + (row[i] ?? 0), 0);
  return {
    kind: 'image',
    key,
    ...confusionImage(m).image(),
    caption: `${c.when} · ${title}: rows true, columns predicted, shade = share of the row; ${correct}/${examples.length} on the diagonal${labels ? ` · order: ${labels.join(', ')}` : ''}`,
  };
}

/** The prediction media of one model kind at one step (computed from `pred`; no extra inference). */
export async function predictionMedia(c: PredictionContext): Promise<MediaItem[]> {
  switch (c.kind) {
    case 'melody':
      return melodyMedia(c);
    case 'groove':
      return grooveMedia(c);
    case 'emotion': {
      const k = EMOTION_LABELS.length;
      return [confusion('confusion', 'emotion confusion', c, k, { start: 0, end: k }, EMOTION_LABELS)];
    }
    case 'emotion-node': {
      const S = EMOTION_NODE_SLICES;
      const w = c.dataset.outputShape[0] ?? 0;
      return [
        confusion('confusion/base', 'base emotions (6)', c, w, S.coarse, null),
        confusion('confusion/sub', 'sub-emotions (36)', c, w, S.mid, null),
        confusion('confusion/node', 'nodes (216)', c, w, S.node, null),
      ];
    }
  }
}
