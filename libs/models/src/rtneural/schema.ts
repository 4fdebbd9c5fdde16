/**
 * zod schema of the RTNeural JSON model format, as `RTNeural::json_parser::parseJson` reads it.
 *
 * Structure only (keys, types, array nesting, finite numbers). Sizes that depend on the previous layer
 * (kernel rows, vector lengths) are checked in `validate.ts`, which is the strict entry point.
 *
 * @see https://github.com/jatinchowdhury18/RTNeural/blob/main/RTNeural/model_loader.h
 * @see ../shared/fixtures/rtneural/README.md (format spec and pitfalls, RTNeural commit 1fb1f07)
 */
import { z } from 'zod';

/**
 * Activation names RTNeural's `createActivation` knows. `""` is linear/identity. Any other string
 * (`"linear"`, `"gelu"`, ...) makes RTNeural dereference a null layer and crash while loading.
 */
export const RTNEURAL_ACTIVATIONS = ['', 'tanh', 'relu', 'sigmoid', 'softmax', 'elu'] as const;
export type RtneuralActivation = (typeof RTNEURAL_ACTIVATIONS)[number];

/** Layer types this project accepts: RTNeural runs them and our TS inference reproduces them. */
export const RTNEURAL_LAYER_TYPES = [
  'dense',
  'time-distributed-dense',
  'lstm',
  'gru',
  'conv1d',
  'batchnorm',
  'prelu',
  'activation',
] as const;
export type RtneuralLayerType = (typeof RTNEURAL_LAYER_TYPES)[number];

/** RTNeural parses these, but we have no test vectors for them, so the strict validator refuses them. */
export const RTNEURAL_UNVERIFIED_TYPES = ['conv2d', 'batchnorm2d'] as const;

const finite = z.number({
  error: (iss) =>
    iss.input === null
      ? 'null where a number is required (JSON.stringify writes NaN and ±Infinity as null)'
      : `expected a finite number, got ${typeof iss.input === 'number' ? String(iss.input) : typeof iss.input}`,
});
const vector = z.array(finite);
const matrix = z.array(vector);
const tensor3 = z.array(matrix);

const activation = z.enum(RTNEURAL_ACTIVATIONS, {
  error: (iss) =>
    `activation ${JSON.stringify(iss.input)} is not one RTNeural supports (${RTNEURAL_ACTIVATIONS.map((a) => JSON.stringify(a)).join(', ')}); ` +
    'write linear as "" — RTNeural crashes (null layer) on any other name',
});

/** Entry of `shape`/`in_shape`: batch/time axes are null, the last entry is the size. */
const shape = z
  .array(z.number().int().positive().nullable())
  .min(1, 'must not be empty')
  .refine((s) => typeof s[s.length - 1] === 'number', {
    message: 'last entry must be a positive integer (the size)',
  });

/** `[k]` as Keras writes it, or a plain integer; RTNeural reads `.back()`. */
const intOrList = z.union([z.number().int().positive(), z.array(z.number().int().positive()).min(1)]);

const base = {
  shape,
  activation: activation.optional(),
};

export const denseLayerSchema = z.object({
  ...base,
  type: z.enum(['dense', 'time-distributed-dense']),
  /** [kernel[in][U], bias[U]]; the bias may be omitted (zero). */
  weights: z.tuple([matrix, vector.optional()]),
});

export const lstmLayerSchema = z.object({
  ...base,
  type: z.literal('lstm'),
  /** [kernel[in][4U], recurrent[U][4U], bias[4U]], gate blocks i, f, c, o. */
  weights: z.tuple([matrix, matrix, vector], { error: 'lstm weights must be [kernel, recurrent, bias]' }),
});

export const gruLayerSchema = z.object({
  ...base,
  type: z.literal('gru'),
  /** [kernel[in][3U], recurrent[U][3U], bias[2][3U]] (Keras reset_after=True), gate blocks z, r, h. */
  weights: z.tuple(
    [
      matrix,
      matrix,
      z.array(
        z.array(finite, {
          error:
            'gru bias must be [2][3U] (input bias, recurrent bias: Keras reset_after=True); ' +
            'a flat [3U] bias is the reset-before layout RTNeural cannot run',
        }),
      ),
    ],
    { error: 'gru weights must be [kernel, recurrent, bias[2][3U]]' },
  ),
});

export const conv1dLayerSchema = z.object({
  ...base,
  type: z.literal('conv1d'),
  kernel_size: intOrList,
  dilation: intOrList,
  groups: z.number().int().positive().optional(),
  strides: intOrList.optional(),
  /** [kernel[k][in][U], bias[U]]; tap k-1 multiplies the current frame. */
  weights: z.tuple([tensor3, vector], { error: 'conv1d weights must be [kernel[k][in][U], bias[U]]' }),
});

export const batchnormLayerSchema = z.object({
  ...base,
  type: z.literal('batchnorm'),
  epsilon: z
    .number({ error: 'batchnorm needs a finite numeric "epsilon" (RTNeural throws without it)' })
    .min(0),
  /** [gamma, beta, mean, variance] (affine) or [mean, variance]. */
  weights: z.array(vector),
});

const preluLayout =
  'prelu weights must be [[alpha[C]]] (the Keras [1][C] alpha wrapped once more), not [alpha]';

export const preluLayerSchema = z.object({
  ...base,
  type: z.literal('prelu'),
  /** [[alpha[C]]]: the Keras alpha of shape [1][C]. */
  weights: z.tuple([z.tuple([z.array(finite, { error: preluLayout })], { error: preluLayout })], {
    error: preluLayout,
  }),
});

export const activationLayerSchema = z.object({
  shape,
  type: z.literal('activation'),
  activation: z.enum(RTNEURAL_ACTIVATIONS, {
    error: (iss) =>
      iss.input === undefined
        ? 'an activation layer needs an "activation" key (RTNeural silently adds no layer without it)'
        : `activation ${JSON.stringify(iss.input)} is not one RTNeural supports (${RTNEURAL_ACTIVATIONS.map((a) => JSON.stringify(a)).join(', ')})`,
  }),
  weights: z.tuple([], { error: 'an activation layer needs "weights": []' }),
});

export const rtneuralLayerSchema = z.discriminatedUnion('type', [
  denseLayerSchema,
  lstmLayerSchema,
  gruLayerSchema,
  conv1dLayerSchema,
  batchnormLayerSchema,
  preluLayerSchema,
  activationLayerSchema,
]);

/** Top level. Unknown top-level keys are ignored, as RTNeural ignores them. */
export const rtneuralModelSchema = z.object({
  in_shape: shape,
  layers: z.array(rtneuralLayerSchema).min(1, 'a model needs at least one layer'),
});

/** Top level with the layers left unparsed, so `validate.ts` can report each layer on its own. */
export const rtneuralEnvelopeSchema = z.object({
  in_shape: shape,
  layers: z.array(z.unknown()).min(1, 'a model needs at least one layer'),
});

export type RtneuralLayer = z.infer<typeof rtneuralLayerSchema>;
export type DenseLayerJson = z.infer<typeof denseLayerSchema>;
export type LstmLayerJson = z.infer<typeof lstmLayerSchema>;
export type GruLayerJson = z.infer<typeof gruLayerSchema>;
export type Conv1dLayerJson = z.infer<typeof conv1dLayerSchema>;
export type BatchnormLayerJson = z.infer<typeof batchnormLayerSchema>;
export type PreluLayerJson = z.infer<typeof preluLayerSchema>;
export type ActivationLayerJson = z.infer<typeof activationLayerSchema>;

/** A model that passed `validateRtneuralModel`: every layer typed, every size consistent. */
export type RtneuralModel = z.infer<typeof rtneuralModelSchema>;

/** Last entry of a shape (`in_shape[-1]`, `shape[-1]`), the size RTNeural reads. */
export function lastDim(s: readonly (number | null)[]): number {
  const v = s[s.length - 1];
  if (typeof v !== 'number') throw new Error('shape has no size in its last entry');
  return v;
}

/** `kernel_size`/`dilation` as RTNeural reads them (`.back()` of a list, or the integer). */
export function lastInt(v: number | number[]): number {
  if (typeof v === 'number') return v;
  const last = v[v.length - 1];
  if (last === undefined) throw new Error('empty integer list');
  return last;
}
