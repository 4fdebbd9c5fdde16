/**
 * How the factorised emotion-node heads compose into the 259 outputs (pure data, shared by the layer and the
 * RTNeural exporter, which folds it into one dense).
 *
 * Factor vector per frame (F = B + S + B·S + L + B·S·L + extra):
 *   c[b]        base logit
 *   s[s]        sub-position logit, shared by every base
 *   m[b, s]     sub-emotion residual
 *   l[l]        leaf-position logit, shared by every sub-emotion
 *   r[b, s, l]  node residual
 *   e[k]        extra outputs (intensity), passed through
 * Outputs (the EMOTION_NODE_TARGET_LAYOUT order: node, base, sub, extra):
 *   node[b,s,l] = c[b] + s[s] + m[b,s] + l[l] + r[b,s,l]
 *   base[b]     = c[b]
 *   sub[b,s]    = c[b] + s[s] + m[b,s]
 *   extra[k]    = e[k]
 * So a node's logit is its sub-emotion's logit plus its leaf terms, and a sub-emotion's is its base's plus
 * the sub terms: the three softmax heads share one hierarchy.
 */
export interface HierarchyLevels {
  readonly base: number;
  readonly sub: number;
  readonly leaf: number;
}

export interface HierarchyComposition {
  /** Factor count F. */
  readonly factors: number;
  /** Output count O = B·S·L + B + B·S + extra. */
  readonly outputs: number;
  /** Row-major [F][O] 0/1 matrix: output = factors · matrix. */
  readonly matrix: Float32Array;
  /** [start, end) of each factor group. */
  readonly groups: Readonly<
    Record<
      'base' | 'subShared' | 'subResidual' | 'leafShared' | 'nodeResidual' | 'extra',
      readonly [number, number]
    >
  >;
}

export function hierarchyComposition(levels: HierarchyLevels, extra: number): HierarchyComposition {
  const { base: B, sub: S, leaf: L } = levels;
  for (const [k, v] of Object.entries({ ...levels, extra }))
    if (!Number.isInteger(v) || v < (k === 'extra' ? 0 : 1))
      throw new Error(
        `hierarchy composition: ${k} must be a ${k === 'extra' ? 'non-negative' : 'positive'} integer, got ${v}`,
      );
  let at = 0;
  const group = (n: number): readonly [number, number] => [at, (at += n)] as const;
  const groups = {
    base: group(B),
    subShared: group(S),
    subResidual: group(B * S),
    leafShared: group(L),
    nodeResidual: group(B * S * L),
    extra: group(extra),
  };
  const F = at;
  const nodeOut = 0;
  const baseOut = B * S * L;
  const subOut = baseOut + B;
  const extraOut = subOut + B * S;
  const O = extraOut + extra;
  const m = new Float32Array(F * O);
  const set = (f: number, o: number) => (m[f * O + o] = 1);
  for (let b = 0; b < B; b++) {
    set(groups.base[0] + b, baseOut + b);
    for (let s = 0; s < S; s++) {
      const bs = b * S + s;
      for (const f of [groups.base[0] + b, groups.subShared[0] + s, groups.subResidual[0] + bs])
        set(f, subOut + bs);
      for (let l = 0; l < L; l++) {
        const n = bs * L + l;
        for (const f of [
          groups.base[0] + b,
          groups.subShared[0] + s,
          groups.subResidual[0] + bs,
          groups.leafShared[0] + l,
          groups.nodeResidual[0] + n,
        ])
          set(f, nodeOut + n);
      }
    }
  }
  for (let k = 0; k < extra; k++) set(groups.extra[0] + k, extraOut + k);
  return { factors: F, outputs: O, matrix: m, groups };
}

/** kernel [in][F] · matrix → [in][O] and bias [F] · matrix → [O], in float64 (the exporter's fold). */
export function foldComposition(
  c: HierarchyComposition,
  kernel: readonly (readonly number[])[],
  bias: readonly number[],
): { kernel: number[][]; bias: number[] } {
  const O = c.outputs;
  const fold = (row: readonly number[]): number[] => {
    const out = new Array<number>(O).fill(0);
    for (let f = 0; f < c.factors; f++) {
      const v = row[f] ?? 0;
      if (v === 0) continue;
      for (let o = 0; o < O; o++) if (c.matrix[f * O + o]) out[o]! += v;
    }
    return out;
  };
  return { kernel: kernel.map(fold), bias: fold(bias) };
}
