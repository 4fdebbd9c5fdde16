/** One of the 216 leaves. Indices: node = base·36 + sub·6 + leaf; subGlobal = base·6 + sub. */
export interface EmotionNode {
  readonly index: number;
  readonly id: string;
  readonly name: string;
  readonly base: number;
  readonly baseName: string;
  readonly sub: number;
  readonly subName: string;
  readonly subGlobal: number;
  readonly leaf: number;
  /** 0…1 from the thesaurus (`arousal_bias` of the sub-emotion). */
  readonly arousalBias: number;
}

/** The 6 × 6 × 6 emotion hierarchy the emotion-node dataset and model use. */
export interface EmotionHierarchy {
  /** Where it came from: `bundled` (the JSON shipped in this repository) or `thesaurus:<absolute folder>`. */
  readonly source: string;
  /** 6 base names in metadata order (HAPPY, SAD, ANGRY, FEAR, SURPRISE, DISGUST). */
  readonly bases: readonly string[];
  /** 36 sub-emotion names, index = subGlobal. */
  readonly subs: readonly string[];
  readonly nodes: readonly EmotionNode[];
}
