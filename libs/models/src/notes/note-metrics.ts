import type { TimedNote } from './note-decoding';

/**
 * Note-level transcription scores by mir_eval's rules (`mir_eval.transcription`, v0.7):
 * a reference and an estimated note match when their pitches are equal (mir_eval's 50-cent tolerance on MIDI
 * numbers), |onset difference| ≤ 50 ms and, for the with-offset score, |offset difference| ≤ max(50 ms, 20 % of the
 * reference note's duration); distances are rounded to 4 decimals before the ≤ (as mir_eval does), and each note
 * matches at most once (maximum bipartite matching).
 * @see https://craffel.github.io/mir_eval/#module-mir_eval.transcription
 */
export const MIR_EVAL_RULES = { onsetTolerance: 0.05, offsetRatio: 0.2, offsetMinTolerance: 0.05 } as const;

export interface MatchRules {
  onsetTolerance: number;
  /** null: onsets only. */
  offsetRatio: number | null;
  offsetMinTolerance: number;
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

/** Size of a maximum matching between `ref` and `est` under `rules` (Kuhn's augmenting paths, per pitch). */
export function countMatches(
  ref: readonly TimedNote[],
  est: readonly TimedNote[],
  rules: MatchRules,
): number {
  const byPitch = new Map<number, { r: TimedNote[]; e: TimedNote[] }>();
  const group = (p: number) => {
    let g = byPitch.get(p);
    if (!g) byPitch.set(p, (g = { r: [], e: [] }));
    return g;
  };
  for (const n of ref) group(n.pitch).r.push(n);
  for (const n of est) group(n.pitch).e.push(n);
  let total = 0;
  for (const { r, e } of byPitch.values()) {
    if (r.length === 0 || e.length === 0) continue;
    const adj = r.map((a) =>
      e.flatMap((b, j) => {
        if (round4(Math.abs(a.onset - b.onset)) > rules.onsetTolerance) return [];
        if (rules.offsetRatio !== null) {
          const tol = Math.max(rules.offsetRatio * (a.offset - a.onset), rules.offsetMinTolerance);
          if (round4(Math.abs(a.offset - b.offset)) > tol) return [];
        }
        return [j];
      }),
    );
    const owner = new Array<number>(e.length).fill(-1);
    const augment = (i: number, seen: boolean[]): boolean => {
      for (const j of adj[i] ?? []) {
        if (seen[j]) continue;
        seen[j] = true;
        const o = owner[j] ?? -1;
        if (o < 0 || augment(o, seen)) {
          owner[j] = i;
          return true;
        }
      }
      return false;
    };
    for (let i = 0; i < r.length; i++) if (augment(i, new Array<boolean>(e.length).fill(false))) total++;
  }
  return total;
}

/** Matched / reference / estimated counts, summed over clips (micro average). */
export interface NoteCounts {
  matched: number;
  ref: number;
  est: number;
}

export interface PrF1 {
  precision: number;
  recall: number;
  f1: number;
}

/** Precision, recall and F1 from counts; 0 (not NaN) when a side is empty, as mir_eval reports. */
export function prf1(c: NoteCounts): PrF1 {
  const precision = c.est > 0 ? c.matched / c.est : 0;
  const recall = c.ref > 0 ? c.matched / c.ref : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}

/** Accumulates note-onset and note-with-offset counts clip by clip (matching never crosses clips). */
export class NoteScorer {
  readonly onset: NoteCounts = { matched: 0, ref: 0, est: 0 };
  readonly withOffset: NoteCounts = { matched: 0, ref: 0, est: 0 };

  addClip(ref: readonly TimedNote[], est: readonly TimedNote[]): void {
    for (const [c, offsetRatio] of [
      [this.onset, null],
      [this.withOffset, MIR_EVAL_RULES.offsetRatio],
    ] as const) {
      c.matched += countMatches(ref, est, { ...MIR_EVAL_RULES, offsetRatio });
      c.ref += ref.length;
      c.est += est.length;
    }
  }

  /** `note_onset_{precision,recall,f1}` and `note_offset_{precision,recall,f1}` (with offsets). */
  scores(): Record<string, number> {
    const on = prf1(this.onset);
    const off = prf1(this.withOffset);
    return {
      note_onset_precision: on.precision,
      note_onset_recall: on.recall,
      note_onset_f1: on.f1,
      note_offset_precision: off.precision,
      note_offset_recall: off.recall,
      note_offset_f1: off.f1,
    };
  }
}
