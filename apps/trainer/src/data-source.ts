import {
  buildSynthDataset,
  expectationsFor,
  loadMaestro,
  loadManifestDataset,
  validateDataset,
  type Dataset,
  type ValidationReport,
} from '@kelly/features';
import type { DataSourceSpec } from './cli-options';
import type { ModelKind } from './tasks/task';

export interface DataRequest {
  kind: ModelKind;
  source: DataSourceSpec;
  seed: number;
  size: number;
  clipFrames: number;
  /** Feature-extraction worker threads. */
  workers: number;
  /** Feature cache folder (MAESTRO / manifest audio). */
  cacheDir: string;
  /** emotion-node: thesaurus folder, or null/undefined for the bundled hierarchy. */
  thesaurus?: string | null;
}

/**
 * Loads the dataset the flags name: the built-in synthetic one, MAESTRO (melody only) or a WAV+MIDI manifest.
 * @throws Error naming the folder/file or the option that is wrong.
 */
export async function loadDataset(req: DataRequest): Promise<Dataset> {
  const { source } = req;
  if (source.type === 'synth')
    return buildSynthDataset(req.kind, {
      seed: req.seed,
      size: req.size,
      clipFrames: req.clipFrames,
      workers: req.workers,
      ...(req.thesaurus ? { thesaurusDir: req.thesaurus } : {}),
    });
  if (req.kind !== 'melody')
    throw new Error(
      `--data ${source.type}: only the melody trainer reads ${source.type} data (audio + MIDI piano rolls); use --data synth for ${req.kind}`,
    );
  const opts = { clipFrames: req.clipFrames, cacheDir: req.cacheDir, workers: req.workers };
  return source.type === 'maestro' ? loadMaestro(source.path, opts) : loadManifestDataset(source.path, opts);
}

/** Validates a dataset against what the model expects (shapes, finiteness, silence, zero targets, balance, overlap). */
export function validateFor(kind: ModelKind, dataset: Dataset): ValidationReport {
  const frames = kind === 'groove' ? undefined : dataset.inputShape[0];
  return validateDataset(dataset, expectationsFor(kind, frames === undefined ? {} : { clipFrames: frames }));
}

/** Dataset facts recorded on the run. */
export function datasetInfo(dataset: Dataset): {
  id: string;
  hash: string;
  kind: string;
  train: number;
  validation: number;
  test: number;
  inputShape: number[];
  outputShape: number[];
} {
  return {
    id: dataset.id,
    hash: dataset.hash,
    kind: dataset.kind,
    train: dataset.train.length,
    validation: dataset.validation.length,
    test: dataset.test?.length ?? 0,
    inputShape: [...dataset.inputShape],
    outputShape: [...dataset.outputShape],
  };
}
