import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The repository root (this file is libs/features/src/datasets/emotion-thesaurus.ts). */
const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** Default location: `../shared/fixtures/kelly/emotion_thesaurus` relative to the repository root. Never copied into the repo. */
export const DEFAULT_THESAURUS_DIR = resolve(REPO_ROOT, '../shared/fixtures/kelly/emotion_thesaurus');

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

export interface EmotionHierarchy {
  readonly dir: string;
  /** 6 base names in metadata order (HAPPY, SAD, ANGRY, FEAR, SURPRISE, DISGUST). */
  readonly bases: readonly string[];
  /** 36 sub-emotion names, index = subGlobal. */
  readonly subs: readonly string[];
  readonly nodes: readonly EmotionNode[];
}

const Metadata = z.object({
  base_emotions: z.array(z.object({ id: z.string(), name: z.string(), file: z.string() })).length(6),
});
const Leaf = z.object({ id: z.string(), intensity_tiers: z.record(z.string(), z.array(z.string())) });
const BaseFile = z.object({
  name: z.string(),
  sub_emotions: z.record(
    z.string(),
    z.object({
      id: z.string(),
      arousal_bias: z.number().min(0).max(1),
      sub_sub_emotions: z.record(z.string(), Leaf),
    }),
  ),
});

function readJson<T>(path: string, schema: z.ZodType<T>): T {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`emotion thesaurus: cannot read ${path} (${(e as Error).message})`, { cause: e });
  }
  const r = schema.safeParse(raw);
  if (!r.success) throw new Error(`emotion thesaurus: ${path} is malformed: ${z.prettifyError(r.error)}`);
  return r.data;
}

/**
 * Loads the 6 × 6 × 6 hierarchy from `dir` (relative paths resolve against the cwd) (metadata.json + one file per base emotion) and checks its shape.
 * @throws Error naming the folder when it is missing, or the file and field when malformed.
 */
export function loadEmotionThesaurus(dir: string = DEFAULT_THESAURUS_DIR): EmotionHierarchy {
  const abs = resolve(dir);
  if (!existsSync(join(abs, 'metadata.json'))) {
    throw new Error(
      `emotion thesaurus not found at ${abs} (expected metadata.json and six <emotion>.json files; pass thesaurusDir)`,
    );
  }
  const meta = readJson(join(abs, 'metadata.json'), Metadata);
  const bases: string[] = [];
  const subs: string[] = [];
  const nodes: EmotionNode[] = [];
  meta.base_emotions.forEach((b, base) => {
    const file = join(abs, b.file);
    const data = readJson(file, BaseFile);
    const subEntries = Object.entries(data.sub_emotions);
    if (subEntries.length !== 6)
      throw new Error(`emotion thesaurus: ${file} has ${subEntries.length} sub-emotions, expected 6`);
    bases.push(b.name);
    subEntries.forEach(([subName, s], sub) => {
      subs.push(subName);
      const leaves = Object.entries(s.sub_sub_emotions);
      if (leaves.length !== 6)
        throw new Error(
          `emotion thesaurus: ${file} ${subName} has ${leaves.length} sub-sub-emotions, expected 6`,
        );
      leaves.forEach(([name, leafData], leaf) => {
        nodes.push({
          index: base * 36 + sub * 6 + leaf,
          id: leafData.id,
          name,
          base,
          baseName: b.name,
          sub,
          subName,
          subGlobal: base * 6 + sub,
          leaf,
          arousalBias: s.arousal_bias,
        });
      });
    });
  });
  return { dir: abs, bases, subs, nodes };
}
