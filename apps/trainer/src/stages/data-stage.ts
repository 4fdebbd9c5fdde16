import { formatValidationReport, type Dataset } from '@kelly/features';
import type { Run, Tracker } from '@kelly/tracking';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { datasetInfo, loadDataset, validateFor } from '../data-source';
import type { RunConfig } from '../run-config';

export class DatasetValidationError extends Error {
  override name = 'DatasetValidationError';
}

/**
 * Stage 1, data: loads the dataset the config names, records its facts, writes and logs the validation
 * report and the dataset card.
 * @throws DatasetValidationError (before any model exists) when a validation check fails; the run's notes
 *   hold the readable report.
 */
export async function dataStage(
  tracker: Tracker,
  run: Run,
  config: RunConfig,
  artifactDir: string,
): Promise<Dataset> {
  const dataset = await loadDataset({
    kind: config.model,
    source: config.data.source,
    seed: config.data.seed,
    size: config.data.size,
    clipFrames: config.data.clipFrames,
    workers: config.workers.featureExtraction,
    cacheDir: join(tracker.paths.home, 'feature-cache'),
    thesaurus: config.data.thesaurus ?? null,
  });
  run.setSystem({ dataset: datasetInfo(dataset) });
  const report = validateFor(config.model, dataset);
  const reportFile = join(artifactDir, 'dataset-validation.json');
  await writeFile(reportFile, JSON.stringify(report, null, 2));
  await run.logArtifact(reportFile, { kind: 'validation-report' });
  if (!report.ok) {
    run.setNotes(formatValidationReport(report));
    throw new DatasetValidationError(
      `dataset ${dataset.id} failed validation: ${report.checks
        .filter((c) => !c.ok)
        .map((c) => `${c.name}: ${c.message}`)
        .join('; ')}`,
    );
  }
  const cardFile = join(artifactDir, 'dataset-card.md');
  await writeFile(cardFile, dataset.card);
  await run.logArtifact(cardFile, { kind: 'dataset-card' });
  return dataset;
}
