/**
 * Derives `libs/features/src/datasets/emotion-hierarchy.json` (the 6 × 6 × 6 names, leaf ids and arousal biases
 * the emotion-node trainer needs) from a Kelly emotion-thesaurus folder, so a clone without that folder trains.
 *
 *   npx tsx libs/features/scripts/derive-emotion-hierarchy.ts [--from <thesaurus dir>] [--out <file>] [--check]
 *
 * Defaults: `--from ../shared/fixtures/kelly/emotion_thesaurus` (beside the repository), `--out` the bundled file.
 * `--check` writes nothing and exits 1 when the file differs from what the thesaurus gives.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import {
  BUNDLED_HIERARCHY_FILE,
  hierarchyToJson,
  loadHierarchyJson,
} from '../src/datasets/emotion-hierarchy';
import { loadEmotionThesaurus } from '../src/datasets/emotion-thesaurus';

/** The thesaurus fixture beside the repository (this file is libs/features/scripts/…). */
export const THESAURUS_FIXTURE_DIR = fileURLToPath(
  new URL('../../../../shared/fixtures/kelly/emotion_thesaurus', import.meta.url),
);

const DERIVED_FROM =
  'Kelly emotion thesaurus (metadata.json + happy/sad/angry/fear/surprise/disgust.json): base and sub-emotion ' +
  'names, sub_sub_emotion names and ids, sub-emotion arousal_bias; regenerate with ' +
  'libs/features/scripts/derive-emotion-hierarchy.ts';

export function main(argv: string[]): number {
  const { values } = parseArgs({
    args: argv.slice(2),
    options: {
      from: { type: 'string', default: THESAURUS_FIXTURE_DIR },
      out: { type: 'string', default: BUNDLED_HIERARCHY_FILE },
      check: { type: 'boolean', default: false },
    },
  });
  const derived = hierarchyToJson(loadEmotionThesaurus(values.from), DERIVED_FROM);
  const out = resolve(values.out);
  if (values.check) {
    const same = isDeepStrictEqual(loadHierarchyJson(out), derived);
    process.stdout.write(`${out}: ${same ? 'up to date' : 'differs from the thesaurus'}\n`);
    return same ? 0 : 1;
  }
  writeFileSync(out, JSON.stringify(derived, null, 2) + '\n');
  process.stdout.write(`wrote ${out} (${derived.bases.length} bases, 216 nodes)\n`);
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    process.exit(main(process.argv));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(2);
  }
}
