import type { Example } from '@kelly/features';
import { FEATURE_SPEC } from '@kelly/features';
import {
  binaryMetrics,
  createMelodyTransformer,
  melodyNoteScores,
  weightedMelodyLoss,
  type NoteDecoding,
} from '@kelly/models';
import { clipTensors, concatTargets } from './clip-tensors';
import { withInputNorm } from './input-norm';
import type { Task } from './task';

const PITCHES = 128;
/** Seconds per output frame (16 ms hop). */
const FRAME_SECONDS = FEATURE_SPEC.hop / FEATURE_SPEC.sampleRate;

/** The model card's note-decoding section: what the plugin must do with the 128 outputs to play these notes. */
function noteDecodingCard(d: NoteDecoding): string[] {
  return [
    '## Note decoding (published in the registry entry as `note_decoding`)',
    '',
    `Per pitch, frame by frame: a note starts when p ≥ ${d.onsetThreshold} (onset threshold) and is held while p ≥ ${d.frameThreshold} (frame threshold);`,
    d.reonsetDelta > 0
      ? `a held note is re-struck (ends, and a new one starts) when p has dipped by ≥ ${d.reonsetDelta} below its peak and rises again by ≥ ${d.reonsetDelta} to ≥ ${d.onsetThreshold};`
      : 'no re-onset within a held note;',
    `notes shorter than ${d.minFrames} frames (${(d.minFrames * FRAME_SECONDS * 1000).toFixed(0)} ms) are dropped. A run of frames [a, b) is the note (a − ½)·16 ms … (b − ½)·16 ms.`,
    'Implementation: `decodeNotes` in @kelly/models.',
    '',
  ];
}

/** The most frequent active pitch over every training frame (the majority-pitch baseline). */
function majorityPitch(train: readonly Example[]): number {
  const counts = new Float64Array(PITCHES);
  for (const e of train)
    for (let i = 0; i < e.y.length; i++) counts[i % PITCHES] = (counts[i % PITCHES] ?? 0) + (e.y[i] ?? 0);
  let best = 0;
  for (let p = 1; p < PITCHES; p++) if ((counts[p] ?? 0) > (counts[best] ?? 0)) best = p;
  return best;
}

/** MelodyTransformer: log-mel [T][64] → piano roll [T][128]; BCE; frame-level precision/recall/F1 at 0.5. */
export const melodyTask: Task = {
  kind: 'melody',
  experiment: 'melodytransformer',
  normalizesInput: true,
  makeLoss: (weights) => weightedMelodyLoss(weights),
  createModel(modelConfig, shapes, norm) {
    return withInputNorm(
      createMelodyTransformer({
        ...modelConfig,
        inputBands: shapes.inputShape[1] ?? 64,
        pitches: PITCHES,
        inputNorm: true,
      }),
      norm,
    );
  },
  toTensors: (examples, dataset) => clipTensors(examples, dataset, PITCHES),
  evaluate(pred, examples, _dataset, noteDecoding) {
    const target = concatTargets(examples);
    const m = binaryMetrics(pred, target);
    const frame = { precision: m.precision, recall: m.recall, f1: m.f1 };
    if (!noteDecoding || examples.length === 0) return frame;
    const frames = target.length / (examples.length * PITCHES);
    return {
      ...frame,
      ...melodyNoteScores(
        pred,
        target,
        { n: examples.length, frames, pitches: PITCHES },
        noteDecoding,
        FRAME_SECONDS,
      ),
    };
  },
  baselineCheck(metrics, dataset) {
    const target = concatTargets(dataset.validation);
    const pitch = majorityPitch(dataset.train);
    const majority = new Float32Array(target.length);
    for (let i = pitch; i < majority.length; i += PITCHES) majority[i] = 1;
    const baselines = {
      f1_all_zeros: binaryMetrics(new Float32Array(target.length), target).f1,
      f1_majority_pitch: binaryMetrics(majority, target).f1,
    };
    const f1 = metrics.f1 ?? 0;
    const ok = f1 > baselines.f1_all_zeros && f1 > baselines.f1_majority_pitch;
    return {
      ok,
      baselines,
      detail: `val f1 ${f1.toFixed(3)} vs all-zeros ${baselines.f1_all_zeros.toFixed(3)}, majority-pitch (MIDI ${pitch}) ${baselines.f1_majority_pitch.toFixed(3)}`,
    };
  },
  modelCard(dataset, modelConfig, noteDecoding) {
    return [
      '# MelodyTransformer',
      '',
      `Input per frame: ${dataset.inputShape[1] ?? 64} raw log-mel values (${JSON.stringify(dataset.featureSpec)}), one frame per 16 ms hop.`,
      'The first layer `input_norm` (a frozen dense with a diagonal kernel) normalises them with the training statistics.',
      `Layers: ${modelConfig.lstmLayers ?? 3} × LSTM ${modelConfig.lstmUnits ?? 256} (sigmoid recurrent activation) → dropout 0.2 (training only, not exported) → dense 128 sigmoid.`,
      'Output per frame: 128 probabilities, index = MIDI pitch 0…127; a key sounds in a frame when p ≥ 0.5 (frame metrics).',
      `Loss: binary cross-entropy on the piano roll, note-on terms weighted ×${modelConfig.positiveWeight ?? 1}, a note's first frame +${modelConfig.onsetWeight ?? 0}, the frame after a note +${modelConfig.offsetWeight ?? 0}.`,
      'Metrics: frame-level precision, recall and F1 at 0.5 (micro over frames × pitches); note-onset and note-with-offset precision, recall and F1 by mir_eval rules (onset ±50 ms, same pitch, offset within max(50 ms, 20 % of the note)) against the notes of the target roll.',
      '',
      ...(noteDecoding ? noteDecodingCard(noteDecoding) : []),
    ].join('\n');
  },
};
