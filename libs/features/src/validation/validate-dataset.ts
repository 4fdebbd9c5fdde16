import { z } from 'zod';
import { bytesHash } from '../datasets/assemble';
import type { Dataset, Example } from '../datasets/dataset-types';
import { EMOTION_NODE_TARGET_LAYOUT as L } from '../datasets/emotion-node-layout';
import { specKey } from '../dsp/feature-spec';
import { expectationsFor, silenceLevel, type DatasetExpectations } from './expectations';

/** One check's outcome; `offending` names clips (or fields, for schema problems). */
export interface ValidationCheck {
  readonly name: CheckName;
  readonly ok: boolean;
  readonly message: string;
  readonly offending: readonly string[];
}

export type CheckName =
  | 'manifest-schema'
  | 'feature-spec'
  | 'input-shape'
  | 'output-shape'
  | 'finite-values'
  | 'silent-clips'
  | 'zero-targets'
  | 'label-range'
  | 'class-balance'
  | 'split-overlap';

export interface ValidationReport {
  readonly ok: boolean;
  readonly datasetId: string;
  readonly datasetHash: string;
  readonly kind: string;
  readonly examples: { readonly train: number; readonly validation: number; readonly test: number };
  readonly checks: readonly ValidationCheck[];
}

const ExampleSchema = z.object({
  id: z.string().min(1),
  x: z.instanceof(Float32Array),
  xShape: z.array(z.number().int().positive()).min(1),
  y: z.instanceof(Float32Array),
  yShape: z.array(z.number().int().positive()).min(1),
  label: z.number().int().nonnegative().optional(),
});
const DatasetSchema = z.object({
  id: z.string().min(1),
  kind: z.enum(['melody', 'groove', 'emotion', 'emotion-node']),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  featureSpec: z
    .object({ sampleRate: z.number(), nFft: z.number(), hop: z.number(), nMels: z.number() })
    .loose(),
  inputShape: z.array(z.number().int().positive()),
  outputShape: z.array(z.number().int().positive()),
  train: z.array(z.unknown()).min(1, 'train split is empty'),
  validation: z.array(z.unknown()).min(1, 'validation split is empty'),
  card: z.string().min(1),
});

const prod = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);
const shapeOk = (got: readonly number[], want: readonly (number | null)[]): boolean =>
  got.length === want.length && want.every((w, i) => w === null || w === got[i]);
const fmt = (s: readonly (number | null)[]): string =>
  `[${s.map((v) => (v === null ? 'any' : v)).join(', ')}]`;
const LIST = 20;

function check(
  name: CheckName,
  offending: string[],
  okMessage: string,
  failMessage: (n: number) => string,
  failWhen = offending.length > 0,
): ValidationCheck {
  const shown =
    offending.length > LIST
      ? `${offending.slice(0, LIST).join(', ')} … (+${offending.length - LIST})`
      : offending.join(', ');
  return {
    name,
    ok: !failWhen,
    offending,
    message: failWhen ? `${failMessage(offending.length)}${shown ? `: ${shown}` : ''}` : okMessage,
  };
}

function oneHotAt(y: Float32Array, from: number, to: number): number {
  let hot = -1;
  for (let i = from; i < to; i++) {
    const v = y[i]!;
    if (v === 1) {
      if (hot >= 0) return -1;
      hot = i - from;
    } else if (v !== 0) return -1;
  }
  return hot;
}

/**
 * Runs every check on the dataset and reports them all (it never stops at the first failure). The trainer
 * must not train when `ok` is false.
 */
export function validateDataset(
  dataset: Dataset,
  expectations: DatasetExpectations = expectationsFor(dataset.kind),
): ValidationReport {
  const e = expectations;
  const checks: ValidationCheck[] = [];
  const all: { ex: Example; split: string }[] = [
    ...dataset.train.map((ex) => ({ ex, split: 'train' })),
    ...dataset.validation.map((ex) => ({ ex, split: 'validation' })),
    ...(dataset.test ?? []).map((ex) => ({ ex, split: 'test' })),
  ];

  // manifest-schema: the dataset object and every example, plus unique ids and size/shape agreement.
  const schemaProblems: string[] = [];
  const top = DatasetSchema.safeParse(dataset);
  if (!top.success)
    for (const issue of top.error.issues)
      schemaProblems.push(`${issue.path.join('.') || 'dataset'}: ${issue.message}`);
  const seen = new Set<string>();
  for (const { ex, split } of all) {
    const r = ExampleSchema.safeParse(ex);
    const id = typeof ex?.id === 'string' && ex.id ? ex.id : `<${split} example without id>`;
    if (!r.success)
      schemaProblems.push(
        `${id}: ${r.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
      );
    else if (ex.x.length !== prod(ex.xShape) || ex.y.length !== prod(ex.yShape))
      schemaProblems.push(`${id}: data length does not match its shape`);
    if (seen.has(id)) schemaProblems.push(`${id}: duplicate id`);
    seen.add(id);
  }
  checks.push(
    check(
      'manifest-schema',
      schemaProblems,
      `dataset and ${all.length} examples well-formed`,
      (n) => `${n} schema problem(s)`,
    ),
  );
  const valid = all.filter(
    ({ ex }) =>
      ExampleSchema.safeParse(ex).success &&
      ex.x.length === prod(ex.xShape) &&
      ex.y.length === prod(ex.yShape),
  );
  const ids = (pred: (ex: Example) => boolean): string[] =>
    valid.filter(({ ex }) => pred(ex)).map(({ ex }) => ex.id);

  const specOk = specKey(dataset.featureSpec) === specKey(e.featureSpec);
  checks.push(
    check(
      'feature-spec',
      specOk ? [] : ['featureSpec'],
      'features match the model spec',
      () => `features ${specKey(dataset.featureSpec)} differ from the model's ${specKey(e.featureSpec)}`,
    ),
  );

  const badIn = ids((ex) => !shapeOk(ex.xShape, e.inputShape));
  checks.push(
    check(
      'input-shape',
      badIn,
      `all inputs ${fmt(e.inputShape)}`,
      (n) => `${n} clip(s) with input shape ≠ ${fmt(e.inputShape)}`,
    ),
  );
  const badOut = ids((ex) => !shapeOk(ex.yShape, e.outputShape));
  checks.push(
    check(
      'output-shape',
      badOut,
      `all targets ${fmt(e.outputShape)}`,
      (n) => `${n} clip(s) with target shape ≠ ${fmt(e.outputShape)}`,
    ),
  );

  const nonFinite = ids((ex) => !ex.x.every(Number.isFinite) || !ex.y.every(Number.isFinite));
  checks.push(
    check(
      'finite-values',
      nonFinite,
      'no NaN or Inf',
      (n) => `${n} clip(s) with NaN or Inf in features or targets`,
    ),
  );

  const level = silenceLevel(e);
  const silent = ids((ex) =>
    e.input === 'log-mel' ? ex.x.every((v) => v <= level) : ex.x.every((v) => v === 0),
  );
  checks.push(
    check(
      'silent-clips',
      silent,
      'no silent clips',
      (n) =>
        `${n} silent clip(s) (${e.input === 'log-mel' ? `log-mel never above ${level.toFixed(2)}` : 'all-zero input'})`,
    ),
  );

  const zero = ids((ex) => ex.y.every((v) => v === 0));
  const maxZero = e.maxZeroTargetFraction ?? 0;
  checks.push(
    check(
      'zero-targets',
      zero,
      'every clip has a non-zero target',
      (n) => `${n} of ${valid.length} clip(s) have all-zero targets (allowed fraction ${maxZero})`,
      zero.length > maxZero * valid.length,
    ),
  );

  checks.push(
    labelRange(
      valid.map((v) => v.ex),
      e,
    ),
  );
  checks.push(
    classBalance(
      dataset.train.filter((ex) => ExampleSchema.safeParse(ex).success),
      e,
    ),
  );

  const trainIds = new Set(dataset.train.map((ex) => ex.id));
  const trainBytes = new Map(
    valid.filter((v) => v.split === 'train').map((v) => [bytesHash(v.ex.x), v.ex.id]),
  );
  const overlap: string[] = [];
  for (const { ex, split } of valid.filter((v) => v.split !== 'train')) {
    if (trainIds.has(ex.id)) overlap.push(`${ex.id} (same id in train)`);
    else if (trainBytes.has(bytesHash(ex.x)))
      overlap.push(`${ex.id} (same audio features as train ${trainBytes.get(bytesHash(ex.x))})`);
    if (split === 'test' && overlap.at(-1)?.startsWith(ex.id))
      overlap[overlap.length - 1] = `${overlap.at(-1)!} [test split]`;
  }
  checks.push(
    check(
      'split-overlap',
      overlap,
      'train is disjoint from validation and test (ids and feature bytes)',
      (n) => `${n} held-out clip(s) also in train`,
    ),
  );

  return {
    ok: checks.every((c) => c.ok),
    datasetId: String(dataset.id),
    datasetHash: String(dataset.hash),
    kind: String(dataset.kind),
    examples: {
      train: dataset.train?.length ?? 0,
      validation: dataset.validation?.length ?? 0,
      test: dataset.test?.length ?? 0,
    },
    checks,
  };
}

function labelRange(examples: readonly Example[], e: DatasetExpectations): ValidationCheck {
  const bad: string[] = [];
  for (const ex of examples) {
    const y = ex.y;
    let ok = true;
    if (e.target === 'multilabel') ok = y.every((v) => v === 0 || v === 1);
    else if (e.target === 'onehot') {
      const hot = oneHotAt(y, 0, y.length);
      ok = hot >= 0 && hot < (e.numClasses ?? y.length) && (ex.label === undefined || ex.label === hot);
    } else if (e.target === 'regression') {
      const [lo, hi] = e.targetRange ?? [-Infinity, Infinity];
      ok = y.every((v) => v >= lo && v <= hi);
    } else {
      const node = oneHotAt(y, L.node[0], L.node[1]);
      const base = oneHotAt(y, L.base[0], L.base[1]);
      const sub = oneHotAt(y, L.sub[0], L.sub[1]);
      const intensity = y[L.intensity[0]]!;
      ok =
        node >= 0 &&
        base === Math.floor(node / 36) &&
        sub === Math.floor(node / 6) &&
        intensity >= 0 &&
        intensity <= 1 &&
        (ex.label === undefined || ex.label === node);
    }
    if (!ok) bad.push(ex.id);
  }
  const rule = {
    multilabel: 'targets are 0 or 1',
    onehot: `targets are one-hot over ${e.numClasses} classes matching the label`,
    regression: `targets within [${(e.targetRange ?? []).join(', ')}]`,
    'emotion-node': 'node/base/sub one-hot and consistent, intensity in [0, 1]',
  }[e.target];
  return check('label-range', bad, rule, (n) => `${n} clip(s) violate: ${rule}`);
}

function classBalance(train: readonly Example[], e: DatasetExpectations): ValidationCheck {
  if (e.target !== 'onehot' && e.target !== 'emotion-node')
    return {
      name: 'class-balance',
      ok: true,
      offending: [],
      message: `not applicable (${e.target} targets)`,
    };
  // emotion-node: balance is checked over the 6 base emotions (216 leaves cannot all appear in a small set).
  const classes = e.target === 'onehot' ? (e.numClasses ?? 0) : 6;
  const classOf = (ex: Example): number =>
    e.target === 'onehot' ? oneHotAt(ex.y, 0, ex.y.length) : oneHotAt(ex.y, L.base[0], L.base[1]);
  const counts = new Array<number>(classes).fill(0);
  for (const ex of train) {
    const c = classOf(ex);
    if (c >= 0 && c < classes) counts[c]!++;
  }
  const need = (e.minClassShare ?? 0.5) * (train.length / classes);
  const low = counts
    .map((n, c) => ({ n, c }))
    .filter(({ n }) => n < need)
    .map(({ n, c }) => `class ${c} (${n} clips)`);
  const what = e.target === 'onehot' ? 'classes' : 'base emotions';
  return check(
    'class-balance',
    low,
    `${classes} ${what}, train counts [${counts.join(', ')}]`,
    (n) => `${n} of ${classes} ${what} below ${need.toFixed(1)} train clips (counts [${counts.join(', ')}])`,
  );
}

/** A readable multi-line report: one line per check, failures first with their clips. */
export function formatValidationReport(r: ValidationReport): string {
  const lines = [
    `dataset ${r.datasetId} (${r.kind}, ${r.examples.train} train / ${r.examples.validation} validation): ${r.ok ? 'PASSED' : 'FAILED'}`,
  ];
  for (const c of [...r.checks].sort((a, b) => Number(a.ok) - Number(b.ok)))
    lines.push(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.message}`);
  return lines.join('\n');
}
