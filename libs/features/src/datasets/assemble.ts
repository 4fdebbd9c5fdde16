import { createHash } from 'node:crypto';
import { specKey } from '../dsp/feature-spec';
import type { Dataset, Example } from './dataset-types';

/** SHA-256 over the spec, kind, shapes and every example's id, x and y bytes, in split order. */
export function datasetHash(d: Omit<Dataset, 'hash' | 'card' | 'id'>): string {
  const h = createHash('sha256');
  h.update(
    `${d.kind}\n${specKey(d.featureSpec)}\n${JSON.stringify(d.inputShape)}\n${JSON.stringify(d.outputShape)}\n`,
  );
  for (const [split, list] of [
    ['train', d.train],
    ['validation', d.validation],
    ['test', d.test ?? []],
  ] as const) {
    h.update(`#${split}:${list.length}\n`);
    for (const ex of list) {
      h.update(`${ex.id}|${ex.label ?? ''}|${ex.xShape.join('x')}|${ex.yShape.join('x')}\n`);
      h.update(new Uint8Array(ex.x.buffer, ex.x.byteOffset, ex.x.byteLength));
      h.update(new Uint8Array(ex.y.buffer, ex.y.byteOffset, ex.y.byteLength));
    }
  }
  return h.digest('hex');
}

/** SHA-256 of one example's input bytes (for train/validation overlap checks and cache keys). */
export function bytesHash(a: Float32Array | Uint8Array): string {
  return createHash('sha256')
    .update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength))
    .digest('hex');
}

/**
 * Deterministic split: example i goes to validation when `floor(i / stride) % period === period − 1`, where
 * `stride` is the number of classes (so class-cycled generators stay balanced in both splits) and
 * period = round(1 / validationFraction). With fewer than stride·period examples the stride is 1.
 */
export function splitExamples(
  examples: readonly Example[],
  validationFraction: number,
  stride = 1,
): { train: Example[]; validation: Example[] } {
  if (!(validationFraction > 0 && validationFraction < 1))
    throw new Error(`validationFraction must be in (0, 1), got ${validationFraction}`);
  const period = Math.max(2, Math.round(1 / validationFraction));
  // Too few clips for whole class-cycles in validation: split clip by clip instead.
  const group = stride * period > examples.length ? 1 : stride;
  const train: Example[] = [];
  const validation: Example[] = [];
  examples.forEach((ex, i) => (Math.floor(i / group) % period === period - 1 ? validation : train).push(ex));
  if (validation.length === 0 && train.length > 1) validation.push(train.pop()!);
  return { train, validation };
}

/** A dataset before its id and hash are computed: `idPrefix` plus the fields `Dataset` holds (card body only). */
export type AssembleInput = Omit<Dataset, 'id' | 'hash'> & {
  readonly idPrefix: string;
};

/** Computes the hash and id (`<idPrefix>-<first 10 hex of hash>`) and writes the card header. */
export function assembleDataset(input: AssembleInput): Dataset {
  const { idPrefix, card, ...rest } = input;
  const hash = datasetHash(rest);
  const id = `${idPrefix}-${hash.slice(0, 10)}`;
  const header = [
    `# Dataset ${id}`,
    '',
    `- kind: ${input.kind}`,
    `- content hash (SHA-256): ${hash}`,
    `- examples: ${input.train.length} train, ${input.validation.length} validation${input.test ? `, ${input.test.length} test` : ''}`,
    `- input per example: [${input.inputShape.join(', ')}] float32; target: [${input.outputShape.join(', ')}] float32`,
    `- features: ${specKey(input.featureSpec)}`,
    '',
  ].join('\n');
  return { ...rest, id, hash, card: `${header}\n${card.trim()}\n` };
}
