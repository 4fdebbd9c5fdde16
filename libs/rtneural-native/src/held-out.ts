import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * Held-out clips with tfjs `predict`'s outputs on them, recorded by the trainer at export time (artifact kind
 * `rtneural-held-out`) so the native check can be re-run at promotion without tfjs.
 * Native output frame `offset + t` of a clip (streamed from a fresh reset()) must match `expected[t]`: offset is
 * 0 for sequence outputs, frames − 1 for a model that outputs only the last step.
 */
export const HELD_OUT_FORMAT = 'kelly-rtneural-held-out';

const Row = z.array(z.number());
export const HeldOutSchema = z.object({
  format: z.literal(HELD_OUT_FORMAT),
  version: z.literal(1),
  /** What produced `expected`, e.g. `tfjs 4.22.0 predict (wasm)`. */
  source: z.string(),
  inSize: z.number().int().positive(),
  outSize: z.number().int().positive(),
  clips: z
    .array(
      z.object({
        input: z.array(Row).min(1),
        expected: z.array(Row).min(1),
        offset: z.number().int().min(0),
      }),
    )
    .min(1),
});
export type HeldOut = z.infer<typeof HeldOutSchema>;

/**
 * Checks sizes beyond the schema: every input row has inSize values, every expected row outSize, and the
 * expected rows fit inside the clip after the offset.
 * @throws Error naming the clip and field.
 */
export function checkHeldOut(h: HeldOut, what = 'held-out clips'): HeldOut {
  h.clips.forEach((c, i) => {
    const bad = c.input.findIndex((r) => r.length !== h.inSize);
    if (bad >= 0)
      throw new Error(
        `${what}: clips[${i}].input[${bad}] has ${c.input[bad]!.length} values, inSize is ${h.inSize}`,
      );
    const badOut = c.expected.findIndex((r) => r.length !== h.outSize);
    if (badOut >= 0)
      throw new Error(
        `${what}: clips[${i}].expected[${badOut}] has ${c.expected[badOut]!.length} values, outSize is ${h.outSize}`,
      );
    if (c.offset + c.expected.length > c.input.length)
      throw new Error(
        `${what}: clips[${i}] has ${c.expected.length} expected rows after offset ${c.offset} but ${c.input.length} frames`,
      );
  });
  return h;
}

/** Parses a held-out file. @throws Error naming the file and the field. */
export function readHeldOut(file: string): HeldOut {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const parsed = HeldOutSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  return checkHeldOut(parsed.data, file);
}
