import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import type { EmotionHierarchy, EmotionNode } from './emotion-hierarchy-types';

const Metadata = z.object({
  base_emotions: z
    .array(z.object({ id: z.string(), name: z.string().min(1), file: z.string().min(1) }))
    .length(6),
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

/** `a.b[2].c` from a zod issue path. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${String(k)}` : String(k)),
    '',
  );
}

/**
 * Parses `raw` with `schema`.
 * @throws Error `<what>: <file>: field <path>: <message>` for the first issue (and a count of the others).
 */
export function parseOrThrow<T>(what: string, file: string, raw: unknown, schema: z.ZodType<T>): T {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const [first, ...rest] = r.error.issues;
  const field = first ? fieldPath(first.path) : '';
  throw new Error(
    `${what}: ${file}: field ${field || '(root)'}: ${first?.message ?? 'invalid'}${rest.length ? ` (and ${rest.length} more)` : ''}`,
  );
}

function readJson<T>(path: string, schema: z.ZodType<T>): T {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`emotion thesaurus: cannot read ${path} (${(e as Error).message})`, { cause: e });
  }
  return parseOrThrow('emotion thesaurus', path, raw, schema);
}

function expectSix(file: string, field: string, n: number): void {
  if (n !== 6) throw new Error(`emotion thesaurus: ${file}: field ${field}: has ${n} entries, expected 6`);
}

/**
 * Loads the 6 × 6 × 6 hierarchy from a Kelly emotion-thesaurus folder (metadata.json + one file per base
 * emotion; relative paths resolve against the cwd) and checks its shape with zod.
 * @throws Error naming the folder when it is missing, or the file and field when one is malformed.
 */
export function loadEmotionThesaurus(dir: string): EmotionHierarchy {
  const abs = resolve(dir);
  if (!existsSync(join(abs, 'metadata.json'))) {
    throw new Error(
      `emotion thesaurus not found at ${abs} (expected metadata.json and six <emotion>.json files)`,
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
    expectSix(file, 'sub_emotions', subEntries.length);
    bases.push(b.name);
    subEntries.forEach(([subName, s], sub) => {
      subs.push(subName);
      const leaves = Object.entries(s.sub_sub_emotions);
      expectSix(file, `sub_emotions.${subName}.sub_sub_emotions`, leaves.length);
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
  return { source: `thesaurus:${abs}`, bases, subs, nodes };
}
