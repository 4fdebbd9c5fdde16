import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EmotionHierarchy } from './emotion-hierarchy-types';

/**
 * Writes `h` as a Kelly emotion-thesaurus folder (metadata.json + one `<base>.json` per base emotion) that
 * {@link loadEmotionThesaurus} reads back to the same nodes: a starting point for a custom thesaurus. Only
 * what the hierarchy holds is written (each leaf gets a single intensity tier naming itself).
 * @returns `dir`
 */
export function writeEmotionThesaurus(dir: string, h: EmotionHierarchy): string {
  mkdirSync(dir, { recursive: true });
  const files = h.bases.map((b) => `${b.toLowerCase()}.json`);
  const baseEmotions = h.bases.map((name, i) => ({ id: `B${i + 1}`, name, file: files[i] }));
  writeFileSync(join(dir, 'metadata.json'), JSON.stringify({ base_emotions: baseEmotions }, null, 2));
  h.bases.forEach((name, b) => {
    const subs = h.subs.slice(b * 6, b * 6 + 6).map((subName, s): [string, object] => {
      const leaves = h.nodes.filter((n) => n.base === b && n.sub === s);
      const subSub = leaves.map((n): [string, object] => [
        n.name,
        { id: n.id, intensity_tiers: { '1_subtle': [n.name] } },
      ]);
      return [
        subName,
        {
          id: `B${b + 1}.${s + 1}`,
          arousal_bias: leaves[0]?.arousalBias ?? 0,
          sub_sub_emotions: Object.fromEntries(subSub),
        },
      ];
    });
    writeFileSync(
      join(dir, files[b]!),
      JSON.stringify({ name, sub_emotions: Object.fromEntries(subs) }, null, 2),
    );
  });
  return dir;
}
