import { FEATURE_SPEC, samplesForFrames } from '../dsp/feature-spec';
import { logMel } from '../dsp/log-mel';
import { augment, limitPeak } from '../synth/augment';
import { preparePiano, type PianoBank, type PianoNote } from '../synth/piano-sampler';
import { Rng } from '../synth/rng';
import { midiToPianoRoll } from '../targets/piano-roll';
import type { DatasetKind, Example } from './dataset-types';
import { EMOTION_CUES, EMOTION_LABELS, performCues, type EmotionLabel } from './emotion-cues';
import { resolveEmotionHierarchy } from './emotion-hierarchy';
import type { EmotionNode } from './emotion-hierarchy-types';
import { performNode } from './emotion-node-cues';
import { EMOTION_NODE_LEVELS, EMOTION_NODE_TARGET_LAYOUT } from './emotion-node-layout';
import { GROOVE_FEATURES, GROOVE_STEPS, planGroove } from './groove-plan';
import { planMelody } from './melody-plan';

/** Resolved, serialisable options for clip generation (also sent to worker threads). */
export interface ClipOptions {
  readonly seed: number;
  readonly clipFrames: number;
  readonly augment: boolean;
  readonly bpm: number;
  /** emotion-node: absolute path of a thesaurus folder, or null for the hierarchy bundled with the repository. */
  readonly thesaurusDir: string | null;
}

/** Clip order for emotion-node: consecutive clips cycle the base emotions, then sub, then leaf. */
export function nodeForClip(i: number): { base: number; sub: number; leaf: number } {
  const { base, sub, leaf } = EMOTION_NODE_LEVELS;
  return { base: i % base, sub: Math.floor(i / base) % sub, leaf: Math.floor(i / (base * sub)) % leaf };
}

const clipId = (kind: DatasetKind, i: number): string => `${kind}-${String(i).padStart(6, '0')}`;

interface AudioPlan {
  readonly index: number;
  readonly notes: PianoNote[];
  readonly y: Float32Array;
  readonly yShape: number[];
  readonly label?: number;
  readonly meta: Record<string, string | number | boolean>;
}

function planAudioClip(
  kind: Exclude<DatasetKind, 'groove'>,
  i: number,
  o: ClipOptions,
  nodes: readonly EmotionNode[] | null,
): AudioPlan {
  const rng = Rng.forItem(o.seed, kind, i);
  const seconds = samplesForFrames(o.clipFrames) / FEATURE_SPEC.sampleRate;
  if (kind === 'melody') {
    const { notes, meta } = planMelody(rng, seconds, o.bpm);
    const roll = midiToPianoRoll(notes, { frames: o.clipFrames });
    return {
      index: i,
      notes,
      y: roll.roll,
      yShape: [o.clipFrames, 128],
      meta: { ...meta, notes: notes.length },
    };
  }
  if (kind === 'emotion') {
    const label = i % EMOTION_LABELS.length;
    const name: EmotionLabel = EMOTION_LABELS[label]!;
    const { notes, meta } = performCues(rng, EMOTION_CUES[name], seconds);
    const y = new Float32Array(EMOTION_LABELS.length);
    y[label] = 1;
    return { index: i, notes, y, yShape: [EMOTION_LABELS.length], label, meta: { ...meta, emotion: name } };
  }
  const { base, sub, leaf } = nodeForClip(i);
  const node = nodes!.find((n) => n.base === base && n.sub === sub && n.leaf === leaf)!;
  const tier = rng.int(1, 6);
  const { notes, meta } = performNode(rng, node, tier, seconds);
  const L = EMOTION_NODE_TARGET_LAYOUT;
  const y = new Float32Array(L.size);
  y[L.node[0] + node.index] = 1;
  y[L.base[0] + base] = 1;
  y[L.sub[0] + node.subGlobal] = 1;
  y[L.intensity[0]] = (tier - 1) / 5;
  return {
    index: i,
    notes,
    y,
    yShape: [L.size],
    label: node.index,
    meta: { ...meta, node: node.name, sub: node.subName, base: node.baseName, tier },
  };
}

/** The audio of one planned clip (16 kHz mono), exactly as the dataset renders it before log-mel. */
function renderPlan(kind: DatasetKind, p: AudioPlan, o: ClipOptions, bank: PianoBank): Float32Array {
  const audio = new Float32Array(samplesForFrames(o.clipFrames));
  bank.render(p.notes, audio);
  if (o.augment) augment(audio, Rng.forItem(o.seed, `${kind}/augment`, p.index));
  limitPeak(audio);
  return audio;
}

/**
 * The audio (16 kHz mono) of clips `indices` of a synthetic audio dataset, regenerated from its options: the
 * same samples the dataset turned into log-mel (e.g. to let a person hear a validation clip).
 */
export async function renderClipAudio(
  kind: Exclude<DatasetKind, 'groove'>,
  o: ClipOptions,
  indices: readonly number[],
): Promise<Float32Array[]> {
  const nodes = kind === 'emotion-node' ? resolveEmotionHierarchy(o.thesaurusDir).nodes : null;
  const plans = indices.map((i) => planAudioClip(kind, i, o, nodes));
  const bank = await preparePiano(plans.flatMap((p) => p.notes.map((n) => n.midi)));
  return plans.map((p) => renderPlan(kind, p, o, bank));
}

/** The notes of melody clips `indices`, seconds from the clip start (what their piano-roll targets are made from). */
export function melodyClipNotes(o: ClipOptions, indices: readonly number[]): PianoNote[][] {
  return indices.map((i) => planAudioClip('melody', i, o, null).notes);
}

/** The piano recordings clips `indices` need, decoded (once per process): the main thread hands them to workers. */
export async function pianoFor(
  kind: Exclude<DatasetKind, 'groove'>,
  o: ClipOptions,
  indices: readonly number[],
): Promise<PianoBank> {
  const nodes = kind === 'emotion-node' ? resolveEmotionHierarchy(o.thesaurusDir).nodes : null;
  return preparePiano(indices.flatMap((i) => planAudioClip(kind, i, o, nodes).notes.map((n) => n.midi)));
}

/**
 * Generates clips `indices` of a synthetic dataset. Each clip depends only on (seed, kind, index), so any
 * split of indices across workers gives the same bytes.
 */
export async function makeClips(
  kind: DatasetKind,
  o: ClipOptions,
  indices: readonly number[],
): Promise<Example[]> {
  if (kind === 'groove') {
    return indices.map((i) => {
      const g = planGroove(Rng.forItem(o.seed, kind, i));
      return {
        id: clipId(kind, i),
        x: g.x,
        xShape: [GROOVE_STEPS, GROOVE_FEATURES],
        y: g.y,
        yShape: [GROOVE_STEPS],
        meta: g.meta,
      };
    });
  }
  const nodes = kind === 'emotion-node' ? resolveEmotionHierarchy(o.thesaurusDir).nodes : null;
  const plans = indices.map((i) => planAudioClip(kind, i, o, nodes));
  const bank = await preparePiano(plans.flatMap((p) => p.notes.map((n) => n.midi)));
  return plans.map((p) => {
    const mel = logMel(renderPlan(kind, p, o, bank));
    const ex: Example = {
      id: clipId(kind, p.index),
      x: mel.data,
      xShape: [mel.frames, mel.bands],
      y: p.y,
      yShape: p.yShape,
      meta: p.meta,
    };
    return p.label === undefined ? ex : { ...ex, label: p.label };
  });
}
