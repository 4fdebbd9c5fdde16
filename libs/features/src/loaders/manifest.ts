import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { assembleDataset } from '../datasets/assemble';
import type { Dataset } from '../datasets/dataset-types';
import { FEATURE_SPEC } from '../dsp/feature-spec';
import { loadPairs, type PairLoadOptions } from './paired-clips';

/** A folder of WAV/MP3 + MIDI pairs. Paths are relative to the manifest file. */
export const DatasetManifest = z.object({
  version: z.literal(1),
  name: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, . _ - only')
    .optional(),
  clipFrames: z.number().int().min(8).max(313).optional(),
  clips: z
    .array(
      z.object({
        audio: z.string().min(1),
        midi: z.string().min(1),
        split: z.enum(['train', 'validation', 'test']),
        id: z.string().min(1).optional(),
      }),
    )
    .min(2),
});
export type DatasetManifest = z.infer<typeof DatasetManifest>;

/**
 * Loads a manifest (`{ "version": 1, "clips": [{ "audio": "a.wav", "midi": "a.mid", "split": "train" }] }`)
 * into a melody dataset (log-mel → piano roll), clips cut as for MAESTRO.
 * @throws Error naming the manifest and the field that fails the schema, or the file that cannot be read.
 */
export async function loadManifestDataset(
  manifestPath: string,
  opts: PairLoadOptions = {},
): Promise<Dataset> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(manifestPath, 'utf8'));
  } catch (e) {
    throw new Error(`manifest ${manifestPath}: cannot read JSON (${(e as Error).message})`, { cause: e });
  }
  const parsed = DatasetManifest.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`manifest ${manifestPath}: ${issues}`);
  }
  const m = parsed.data;
  const base = dirname(resolve(manifestPath));
  const clipFrames = opts.clipFrames ?? m.clipFrames ?? 313;
  const split = await loadPairs(
    m.clips.map((c) => ({
      audioPath: resolve(base, c.audio),
      midiPath: resolve(base, c.midi),
      split: c.split,
      ...(c.id ? { name: c.id } : {}),
    })),
    { ...opts, clipFrames },
  );
  return assembleDataset({
    kind: 'melody',
    idPrefix: `manifest-${m.name ?? 'data'}-t${clipFrames}`,
    featureSpec: FEATURE_SPEC,
    inputShape: [clipFrames, FEATURE_SPEC.nMels],
    outputShape: [clipFrames, 128],
    train: split.train,
    validation: split.validation,
    ...(split.test.length ? { test: split.test } : {}),
    card: [
      `## Audio + MIDI pairs from manifest ${manifestPath}`,
      `${m.clips.length} recordings; splits as the manifest assigns them. Each is decoded, mixed to mono, resampled to 16 kHz and cut into ${clipFrames}-frame clips; ${split.dropped.length} clip(s) with neither sound nor notes were skipped.`,
      'Input: log-mel `[frames][64]`, ln(S + 1e-6). Target: piano roll `[frames][128]` from the MIDI (sustain pedal applied).',
    ].join('\n\n'),
  });
}
