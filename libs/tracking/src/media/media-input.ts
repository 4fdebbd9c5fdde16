import { z } from 'zod';
import type { JsonObject, MediaType } from '../db/schema';
import { encodePng, readPngHeader } from './png-encode';
import { encodeWav, readWavHeader } from './wav-encode';

/** `clip/melody-000017/piano-roll`: slash-separated segments of letters, digits, `.`, `_`, `-` (no `..`). */
export const MEDIA_KEY = /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/;

const Common = z.object({
  key: z
    .string()
    .max(200)
    .regex(MEDIA_KEY, 'key must be slash-separated segments of letters, digits, ".", "_", "-"')
    .refine((k) => !k.split('/').some((s) => /^\.+$/.test(s)), 'key must not contain "." or ".." segments'),
  /** Global step (same counter as the metrics), integer ≥ 0. */
  step: z.number().int().min(0),
  epoch: z.number().int().min(0).optional(),
  /** One line shown under the media, e.g. "best epoch 7 · green hit, red miss, blue false". */
  caption: z.string().max(500).optional(),
});

/**
 * What `run.logMedia` takes: mono audio samples (−1…1, encoded as 16-bit WAV), an RGBA raster (encoded as
 * PNG), or bytes already encoded as WAV / PNG (checked by their headers; what a remote client sends).
 */
export const MediaInputSchema = z.discriminatedUnion('kind', [
  Common.extend({
    kind: z.literal('audio'),
    samples: z.instanceof(Float32Array),
    sampleRate: z.number().int().positive(),
  }),
  Common.extend({
    kind: z.literal('image'),
    width: z.number().int().positive(),
    height: z.number().int().positive(),
    rgba: z.union([z.instanceof(Uint8Array), z.instanceof(Uint8ClampedArray)]),
  }),
  Common.extend({
    kind: z.literal('encoded'),
    mime: z.enum(['audio/wav', 'image/png']),
    data: z.instanceof(Uint8Array),
  }),
]);
/** Where a media item goes: key, step (same counter as metrics), optional epoch and caption. */
export interface MediaPlace {
  key: string;
  step: number;
  epoch?: number;
  caption?: string;
}
export type AudioMedia = MediaPlace & { kind: 'audio'; samples: Float32Array; sampleRate: number };
export type ImageMedia = MediaPlace & {
  kind: 'image';
  width: number;
  height: number;
  rgba: Uint8Array | Uint8ClampedArray;
};
export type EncodedMediaInput = MediaPlace & { kind: 'encoded'; mime: MediaType; data: Uint8Array };
/** Input of `run.logMedia` (validated by {@link MediaInputSchema}). */
export type MediaInput = AudioMedia | ImageMedia | EncodedMediaInput;

/** A media item ready to store: its bytes, type, file extension and `meta` (sample rate and duration, or size). */
export interface EncodedMedia {
  key: string;
  step: number;
  epoch: number | null;
  caption: string | null;
  mime: MediaType;
  ext: 'wav' | 'png';
  data: Uint8Array;
  meta: JsonObject;
}

/** Validates and encodes one media input. @throws Error naming the field (zod) or what is wrong with the bytes. */
export function encodeMedia(input: MediaInput): EncodedMedia {
  const parsed = MediaInputSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`logMedia: ${issue?.path.join('.') || 'input'}: ${issue?.message ?? 'invalid'}`);
  }
  const m = parsed.data;
  const base = { key: m.key, step: m.step, epoch: m.epoch ?? null, caption: m.caption ?? null };
  if (m.kind === 'audio') {
    const data = encodeWav(m.samples, m.sampleRate);
    return {
      ...base,
      mime: 'audio/wav',
      ext: 'wav',
      data,
      meta: { sampleRate: m.sampleRate, durationS: m.samples.length / m.sampleRate },
    };
  }
  if (m.kind === 'image') {
    const data = encodePng({ width: m.width, height: m.height, rgba: m.rgba });
    return { ...base, mime: 'image/png', ext: 'png', data, meta: { width: m.width, height: m.height } };
  }
  if (m.mime === 'audio/wav')
    return { ...base, mime: m.mime, ext: 'wav', data: m.data, meta: readWavHeader(m.data) };
  return { ...base, mime: m.mime, ext: 'png', data: m.data, meta: readPngHeader(m.data) };
}
