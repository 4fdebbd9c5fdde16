import type { PianoNote } from '../synth/piano-sampler';
import { clampMidi } from '../synth/music';
import type { Rng } from '../synth/rng';
import { EMOTION_CUES, EMOTION_LABELS, performCues, type EmotionLabel } from './emotion-cues';
import type { EmotionNode } from './emotion-hierarchy-types';

/**
 * How each level of the 6 × 6 × 6 hierarchy is rendered, one musical dimension per level, so that every node
 * is recoverable from the audio:
 * - base emotion: its EmotionRecognizer cue profile (modes, tempo range, loudness, rhythm, harmony, timing);
 * - sub-emotion: register: melody centre = profile centre + (sub − 2.5)·SUB_REGISTER_STEP ± 1 semitone, and
 *   tempo × (0.8 + 0.4·arousal_bias) from the thesaurus;
 * - leaf: articulation (even leaf staccato, odd legato) × accompaniment (leaf ÷ 2: none, a low pedal note
 *   re-struck every two beats, a high bell note on every beat);
 * - intensity tier 1…6 (drawn per clip): velocity × (0.55 + 0.09·tier), harmony chance + 0.05·(tier − 1).
 */
export const SUB_REGISTER_STEP = 5;
export const LEAF_ARTICULATION = { staccato: [0.25, 0.35], legato: [0.95, 1.05] } as const;
export const LEAF_TEXTURES = ['none', 'low pedal', 'high bell'] as const;
/** Semitones from the melody centre to the pedal (below) and bell (above) notes. */
export const ACCOMPANIMENT_INTERVAL = 19;

export function baseProfile(node: EmotionNode) {
  const label = node.baseName.toLowerCase();
  return EMOTION_LABELS.includes(label as EmotionLabel)
    ? EMOTION_CUES[label as EmotionLabel]
    : EMOTION_CUES.neutral;
}

/** A performance of node `node` at intensity `tier` (1…6) lasting `seconds`. */
export function performNode(
  rng: Rng,
  node: EmotionNode,
  tier: number,
  seconds: number,
): { notes: PianoNote[]; meta: Record<string, string | number> } {
  const profile = baseProfile(node);
  const centre =
    (profile.register[0] + profile.register[1]) / 2 + (node.sub - 2.5) * SUB_REGISTER_STEP + rng.range(-1, 1);
  const legato = node.leaf % 2 === 1;
  const texture = LEAF_TEXTURES[Math.floor(node.leaf / 2) % LEAF_TEXTURES.length]!;
  const velocityScale = 0.55 + 0.09 * tier;
  const { notes, meta } = performCues(rng, profile, seconds, {
    centre,
    articulation: legato ? LEAF_ARTICULATION.legato : LEAF_ARTICULATION.staccato,
    bpmScale: 0.8 + 0.4 * node.arousalBias,
    velocityScale,
    harmonyChanceAdd: 0.05 * (tier - 1),
  });
  const beat = 60 / Number(meta.bpm);
  const velocity = Math.min(1, 0.5 * velocityScale + 0.1);
  if (texture === 'low pedal') {
    const midi = clampMidi(centre - ACCOMPANIMENT_INTERVAL);
    for (let t = 0; t < seconds; t += 2 * beat) notes.push({ midi, start: t, duration: 2 * beat, velocity });
  } else if (texture === 'high bell') {
    const midi = clampMidi(centre + ACCOMPANIMENT_INTERVAL);
    for (let t = 0; t < seconds; t += beat) notes.push({ midi, start: t, duration: 0.08, velocity });
  }
  return { notes, meta: { ...meta, articulation: legato ? 'legato' : 'staccato', texture } };
}
