import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { assembleDataset } from '../datasets/assemble';
import type { Dataset } from '../datasets/dataset-types';
import { FEATURE_SPEC } from '../dsp/feature-spec';
import { parseCsv } from './csv';
import { loadPairs, type AudioMidiPair, type PairLoadOptions } from './paired-clips';

export const MAESTRO_CSV = 'maestro-v3.0.0.csv';

const Row = z.object({
  canonical_composer: z.string(),
  canonical_title: z.string(),
  split: z.enum(['train', 'validation', 'test']),
  year: z.coerce.number().int(),
  midi_filename: z.string().min(1),
  audio_filename: z.string().min(1),
  duration: z.coerce.number().nonnegative(),
});

export interface MaestroOptions extends PairLoadOptions {
  /** At most this many recordings per split (in CSV order). Default: all. */
  readonly maxFilesPerSplit?: number;
}

/**
 * MAESTRO v3 from a folder holding `maestro-v3.0.0.csv` and the `.wav`/`.midi` files it names (paths relative
 * to the folder). MAESTRO's own train/validation/test split is kept (test → `dataset.test`, never trained on).
 * Clips ≤ 5 s: log-mel `[clipFrames][64]` → piano roll `[clipFrames][128]` (sustain pedal applied).
 * @throws Error naming the CSV row and column that fails the schema, or the file that cannot be read.
 */
export async function loadMaestro(dir: string, opts: MaestroOptions = {}): Promise<Dataset> {
  const csvPath = join(dir, MAESTRO_CSV);
  let text: string;
  try {
    text = readFileSync(csvPath, 'utf8');
  } catch (e) {
    throw new Error(`MAESTRO: ${csvPath} not found (expected the MAESTRO v3 metadata CSV in ${dir})`, {
      cause: e,
    });
  }
  const [header, ...rows] = parseCsv(text);
  if (!header) throw new Error(`MAESTRO: ${csvPath} is empty`);
  const perSplit = { train: 0, validation: 0, test: 0 };
  const pairs: AudioMidiPair[] = [];
  rows.forEach((cells, i) => {
    if (cells.length === 1 && cells[0] === '') return;
    const obj = Object.fromEntries(header.map((h, c) => [h, cells[c]]));
    const r = Row.safeParse(obj);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      throw new Error(`MAESTRO: ${csvPath} row ${i + 2}, column ${issue.path.join('.')}: ${issue.message}`);
    }
    if (perSplit[r.data.split] >= (opts.maxFilesPerSplit ?? Infinity)) return;
    perSplit[r.data.split]++;
    pairs.push({
      audioPath: join(dir, r.data.audio_filename),
      midiPath: join(dir, r.data.midi_filename),
      split: r.data.split,
    });
  });
  const clipFrames = opts.clipFrames ?? 313;
  const split = await loadPairs(pairs, { ...opts, clipFrames });
  return assembleDataset({
    kind: 'melody',
    idPrefix: `maestro-v3-t${clipFrames}`,
    featureSpec: FEATURE_SPEC,
    inputShape: [clipFrames, FEATURE_SPEC.nMels],
    outputShape: [clipFrames, 128],
    train: split.train,
    validation: split.validation,
    test: split.test,
    card: [
      '## MAESTRO v3 (recorded piano performances with aligned MIDI)',
      `Loaded from ${dir} (${MAESTRO_CSV}); ${pairs.length} recordings (train ${perSplit.train}, validation ${perSplit.validation}, test ${perSplit.test}), MAESTRO's own split kept.`,
      `Each recording is decoded, mixed to mono, resampled to 16 kHz (libsamplerate best) and cut into consecutive ${clipFrames}-frame clips (tail dropped). ${split.dropped.length} clip(s) with neither sound (peak < −80 dBFS) nor notes were skipped${split.dropped.length ? `: ${split.dropped.slice(0, 20).join(', ')}` : ''}.`,
      'Input: log-mel `[frames][64]`, ln(S + 1e-6). Target: piano roll `[frames][128]` from the MIDI, sustain pedal extending notes, 1 at each frame centre where a key sounds.',
      'License: MAESTRO is CC BY-NC-SA 4.0 (Google Magenta).',
    ].join('\n\n'),
  });
}
