import { describe, expect, it } from 'vitest';
import { countMatches, MIR_EVAL_RULES, NoteScorer, prf1 } from './note-metrics';

const n = (pitch: number, onset: number, offset: number) => ({ pitch, onset, offset });
const onsets = { ...MIR_EVAL_RULES, offsetRatio: null };
const withOffsets = { ...MIR_EVAL_RULES };

describe('countMatches (mir_eval.transcription rules)', () => {
  it('matches onsets within 50 ms inclusive (after rounding to 4 decimals), and only on the same pitch', () => {
    const ref = [n(60, 1.0, 1.5)];
    expect(countMatches(ref, [n(60, 1.05, 1.5)], onsets)).toBe(1); // exactly 50 ms: 0.05000000000000004 rounds to 0.05
    expect(countMatches(ref, [n(60, 0.95, 1.5)], onsets)).toBe(1);
    expect(countMatches(ref, [n(60, 1.0501, 1.5)], onsets)).toBe(0);
    expect(countMatches(ref, [n(61, 1.0, 1.5)], onsets)).toBe(0);
  });

  it('offsets: within max(50 ms, 20 % of the reference duration)', () => {
    // 1 s note: 200 ms tolerance
    expect(countMatches([n(60, 0, 1)], [n(60, 0, 1.2)], withOffsets)).toBe(1);
    expect(countMatches([n(60, 0, 1)], [n(60, 0, 1.21)], withOffsets)).toBe(0);
    // 100 ms note: 20 % is 20 ms, the 50 ms floor applies
    expect(countMatches([n(60, 0, 0.1)], [n(60, 0, 0.15)], withOffsets)).toBe(1);
    expect(countMatches([n(60, 0, 0.1)], [n(60, 0, 0.16)], withOffsets)).toBe(0);
    // the onset rule still applies with offsets
    expect(countMatches([n(60, 0, 1)], [n(60, 0.06, 1)], withOffsets)).toBe(0);
    // and the offset is ignored without them
    expect(countMatches([n(60, 0, 1)], [n(60, 0, 3)], onsets)).toBe(1);
  });

  it('finds the maximum matching where greedy first-fit would not', () => {
    // ref A can take est X or Y, ref B only X: first-fit A→X leaves B alone; the maximum is 2
    const ref = [n(60, 0.0, 1), n(60, 0.08, 1)];
    const est = [n(60, 0.04, 1), n(60, -0.03, 1)];
    expect(countMatches(ref, est, onsets)).toBe(2);
    expect(countMatches([...ref].reverse(), [...est].reverse(), onsets)).toBe(2);
  });

  it('matches each note at most once', () => {
    expect(countMatches([n(60, 0, 1)], [n(60, 0, 1), n(60, 0.01, 1)], onsets)).toBe(1);
    expect(countMatches([n(60, 0, 1), n(60, 0.01, 1)], [n(60, 0, 1)], onsets)).toBe(1);
  });
});

describe('NoteScorer', () => {
  it('pools counts over clips and never matches across them', () => {
    const s = new NoteScorer();
    s.addClip([n(60, 0, 0.5), n(62, 0.5, 1)], [n(60, 0.01, 0.5), n(62, 0.52, 2), n(70, 0, 1)]);
    s.addClip([n(60, 0, 0.5)], []);
    s.addClip([], [n(60, 0, 0.5)]); // same note as clip 2's reference, other clip: no match
    expect(s.onset).toEqual({ matched: 2, ref: 3, est: 4 });
    expect(s.withOffset).toEqual({ matched: 1, ref: 3, est: 4 });
    const scores = s.scores();
    expect(scores.note_onset_precision).toBeCloseTo(2 / 4);
    expect(scores.note_onset_recall).toBeCloseTo(2 / 3);
    expect(scores.note_onset_f1).toBeCloseTo((2 * 0.5 * (2 / 3)) / (0.5 + 2 / 3));
    expect(scores.note_offset_f1).toBeCloseTo((2 * 0.25 * (1 / 3)) / (0.25 + 1 / 3));
  });

  it('prf1 is 0, not NaN, when either side is empty', () => {
    expect(prf1({ matched: 0, ref: 0, est: 0 })).toEqual({ precision: 0, recall: 0, f1: 0 });
    expect(prf1({ matched: 0, ref: 5, est: 0 })).toEqual({ precision: 0, recall: 0, f1: 0 });
  });
});
