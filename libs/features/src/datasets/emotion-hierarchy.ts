import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { EmotionHierarchy, EmotionNode } from './emotion-hierarchy-types';
import { loadEmotionThesaurus, parseOrThrow } from './emotion-thesaurus';

/**
 * The hierarchy shipped in this repository: `emotion-hierarchy.json`, derived from the Kelly emotion thesaurus
 * by `libs/features/scripts/derive-emotion-hierarchy.ts` (names, ids and arousal biases only).
 */
export const BUNDLED_HIERARCHY_FILE = fileURLToPath(new URL('./emotion-hierarchy.json', import.meta.url));

const six = <T extends z.ZodType>(item: T) => z.array(item).length(6);

/** The shipped JSON: bases → subs → leaves, in thesaurus order (the order fixes the node indices). */
export const HierarchyJsonSchema = z.object({
  schemaVersion: z.literal(1),
  derivedFrom: z.string(),
  bases: six(
    z.object({
      name: z.string().min(1),
      subs: six(
        z.object({
          name: z.string().min(1),
          arousalBias: z.number().min(0).max(1),
          leaves: six(z.object({ id: z.string(), name: z.string().min(1) })),
        }),
      ),
    }),
  ),
});
export type HierarchyJson = z.infer<typeof HierarchyJsonSchema>;

/** The JSON form of a hierarchy (what the derive script writes). */
export function hierarchyToJson(h: EmotionHierarchy, derivedFrom: string): HierarchyJson {
  return {
    schemaVersion: 1,
    derivedFrom,
    bases: h.bases.map((name, b) => ({
      name,
      subs: h.subs.slice(b * 6, b * 6 + 6).map((subName, s) => {
        const leaves = h.nodes.filter((n) => n.base === b && n.sub === s);
        return {
          name: subName,
          arousalBias: leaves[0]?.arousalBias ?? 0,
          leaves: leaves.map((n) => ({ id: n.id, name: n.name })),
        };
      }),
    })),
  };
}

/** Expands the JSON form into the 216 indexed nodes. */
export function hierarchyFromJson(j: HierarchyJson, source: string): EmotionHierarchy {
  const nodes: EmotionNode[] = [];
  j.bases.forEach((b, base) =>
    b.subs.forEach((s, sub) =>
      s.leaves.forEach((l, leaf) =>
        nodes.push({
          index: base * 36 + sub * 6 + leaf,
          id: l.id,
          name: l.name,
          base,
          baseName: b.name,
          sub,
          subName: s.name,
          subGlobal: base * 6 + sub,
          leaf,
          arousalBias: s.arousalBias,
        }),
      ),
    ),
  );
  return {
    source,
    bases: j.bases.map((b) => b.name),
    subs: j.bases.flatMap((b) => b.subs.map((s) => s.name)),
    nodes,
  };
}

/**
 * Reads and validates a hierarchy JSON file (by default the bundled one).
 * @throws Error naming the file and the first bad field.
 */
export function loadHierarchyJson(file: string = BUNDLED_HIERARCHY_FILE): HierarchyJson {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`emotion hierarchy: cannot read ${file} (${(e as Error).message})`, { cause: e });
  }
  return parseOrThrow('emotion hierarchy', file, raw, HierarchyJsonSchema);
}

/**
 * The hierarchy the emotion-node dataset uses: the thesaurus folder when one is given (the user's Kelly
 * checkout, validated), else the one bundled with this repository.
 * @throws Error naming the folder, or the file and field, when the given thesaurus is missing or malformed.
 */
export function resolveEmotionHierarchy(thesaurusDir?: string | null): EmotionHierarchy {
  if (thesaurusDir) return loadEmotionThesaurus(thesaurusDir);
  return hierarchyFromJson(loadHierarchyJson(), 'bundled');
}
