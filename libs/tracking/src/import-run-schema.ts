import { z } from 'zod';
import { RUN_SOURCES, RUN_STATUSES } from './db/run-enums';

// NaN/±Infinity allowed (z.number() rejects them): metric values are stored faithfully
const num = z.custom<number>((v) => typeof v === 'number', 'expected a number (NaN/Infinity allowed)');

/** A whole run written at once (legacy importers). Times are Unix ms; durationS seconds. */
export const ImportRunSchema = z.object({
  id: z.string().min(1),
  experiment: z.string().trim().min(1),
  name: z.string().nullish(),
  status: z.enum(RUN_STATUSES),
  source: z.enum(RUN_SOURCES).default('legacy'),
  startedAt: z.number().finite(),
  endedAt: z.number().finite().nullish(),
  durationS: z.number().finite().nullish(),
  /** Nested config; kept whole and flattened. NaN etc. are kept faithfully (legacy files contain them). */
  config: z.record(z.string(), z.unknown()).default({}),
  /** An Error, or `{ type, message, stack }` as a legacy file recorded it. */
  error: z
    .union([
      z.instanceof(Error),
      z.object({ type: z.string().nullish(), message: z.string().nullish(), stack: z.string().nullish() }),
    ])
    .nullish(),
  gitCommit: z.string().nullish(),
  hardware: z.string().nullish(),
  backend: z.string().nullish(),
  host: z.string().nullish(),
  tags: z.array(z.string()).default([]),
  notes: z.string().nullish(),
  system: z.record(z.string(), z.unknown()).nullish(),
  /** What the file reports about itself: final/best losses, epochs, ... */
  summary: z.record(z.string(), z.unknown()).nullish(),
  /** Hash of the run's content; equal hashes make the later run a `duplicate`. */
  contentHash: z.string().nullish(),
  sourceMissing: z.boolean().default(false),
  metrics: z
    .array(
      z.object({
        key: z.string().min(1),
        step: z.number().int().nonnegative(),
        epoch: z.number().int().nonnegative().nullish(),
        value: num,
        wallTime: z.number().finite().nullish(),
      }),
    )
    .default([]),
  artifacts: z
    .array(
      z.object({
        kind: z.string().min(1),
        path: z.string().min(1),
        name: z.string().nullish(),
        sha256: z.string().nullish(),
        bytes: z.number().int().nullish(),
      }),
    )
    .default([]),
});
export type ImportRunInput = z.input<typeof ImportRunSchema>;
/** A validated import (what `ImportRunSchema.parse` returns). */
export type ImportRun = z.output<typeof ImportRunSchema>;
