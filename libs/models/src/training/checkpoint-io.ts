import * as tf from '@tensorflow/tfjs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Files of a tfjs layers model in its standard on-disk format (what `tf.loadLayersModel('file://…')` reads). */
export interface SavedModelFiles {
  modelJson: string;
  weightsBin: string;
}

function joinWeights(data: tf.io.WeightData | undefined): ArrayBuffer {
  if (data === undefined) return new ArrayBuffer(0);
  return tf.io.CompositeArrayBuffer.join(data);
}

/**
 * Writes `<dir>/model.json` + `<dir>/weights.bin` (tfjs layers format, one weights shard) without
 * tfjs-node, through `tf.io.withSaveHandler`.
 */
export async function saveLayersModel(model: tf.LayersModel, dir: string): Promise<SavedModelFiles> {
  await mkdir(dir, { recursive: true });
  const files: SavedModelFiles = { modelJson: join(dir, 'model.json'), weightsBin: join(dir, 'weights.bin') };
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = joinWeights(artifacts.weightData);
      const json = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
      };
      await writeFile(files.weightsBin, new Uint8Array(weights));
      await writeFile(files.modelJson, JSON.stringify(json));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  return files;
}

const ModelJsonShape = (
  value: unknown,
): value is {
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
} =>
  typeof value === 'object' &&
  value !== null &&
  'modelTopology' in value &&
  'weightsManifest' in value &&
  Array.isArray((value as { weightsManifest: unknown }).weightsManifest);

/** Loads a model written by {@link saveLayersModel} (or any single-directory tfjs layers model). */
export async function loadLayersModel(dir: string): Promise<tf.LayersModel> {
  const path = join(dir, 'model.json');
  const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
  if (!ModelJsonShape(parsed))
    throw new Error(`${path}: not a tfjs layers model.json (modelTopology/weightsManifest missing)`);
  const specs: tf.io.WeightsManifestEntry[] = [];
  const buffers: ArrayBuffer[] = [];
  for (const group of parsed.weightsManifest) {
    specs.push(...group.weights);
    for (const p of group.paths) {
      const b = await readFile(join(dir, p));
      buffers.push(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    }
  }
  const weightData = tf.io.CompositeArrayBuffer.join(buffers);
  return tf.loadLayersModel(
    tf.io.fromMemory({ modelTopology: parsed.modelTopology, weightSpecs: specs, weightData }),
  );
}

/** Writes named tensors as `<dir>/<name>.json` (specs) + `<dir>/<name>.bin` (data). */
export async function saveNamedTensors(
  dir: string,
  name: string,
  tensors: tf.NamedTensorMap,
  meta: object = {},
): Promise<void> {
  await mkdir(dir, { recursive: true });
  const { data, specs } = await tf.io.encodeWeights(tensors);
  await writeFile(join(dir, `${name}.bin`), new Uint8Array(joinWeights(data)));
  await writeFile(join(dir, `${name}.json`), JSON.stringify({ ...meta, specs }));
}

/** Reads what {@link saveNamedTensors} wrote; the caller owns (and must dispose) the tensors. */
export async function loadNamedTensors(
  dir: string,
  name: string,
): Promise<{ meta: Record<string, unknown>; tensors: tf.NamedTensorMap }> {
  const json = JSON.parse(await readFile(join(dir, `${name}.json`), 'utf8')) as Record<string, unknown> & {
    specs: tf.io.WeightsManifestEntry[];
  };
  const b = await readFile(join(dir, `${name}.bin`));
  const tensors = tf.io.decodeWeights(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength), json.specs);
  const { specs: _specs, ...meta } = json;
  return { meta, tensors };
}
