import {
  getRun,
  legacyFileOfRun,
  listMedia,
  ListMediaInputSchema,
  listRunsWithLosses,
  ListRunsInputSchema,
  metricSeries,
  MetricSeriesInputSchema,
  runFacets,
  RunMetaSchema,
  rtneuralFigures,
  updateRunMeta,
} from '@kelly/tracking';
import { z } from 'zod';
import { createTRPCRouter, notFound, publicProcedure } from '../trpc';

const RunId = z.object({ id: z.string().min(1) });

export const runsRouter = createTRPCRouter({
  /** One page of runs with filters, sort and cursor; each with anomalies and loss columns. */
  list: publicProcedure
    .input(ListRunsInputSchema)
    .query(({ ctx, input }) => listRunsWithLosses(ctx.tracker, input)),
  /** Values the filters offer: experiments, tags, anomaly rules. */
  facets: publicProcedure.query(({ ctx }) => runFacets(ctx.tracker)),
  /** One run in full (config, anomalies with evidence, artifacts, metric summaries, RTNeural native vs TypeScript). */
  get: publicProcedure.input(RunId).query(({ ctx, input }) => {
    const run = getRun(ctx.tracker, input.id);
    return { ...run, rtneural: rtneuralFigures(run.metrics) };
  }),
  /** Every metric series of a run, downsampled on the server (≤ maxPoints, flagged points kept). */
  series: publicProcedure
    .input(MetricSeriesInputSchema)
    .query(({ ctx, input }) => metricSeries(ctx.tracker, input)),
  /** Media (audio, images) of one or more runs, by key and step; files are served by /api/artifacts. */
  media: publicProcedure.input(ListMediaInputSchema).query(({ ctx, input }) => listMedia(ctx.tracker, input)),
  /** The legacy file an imported run came from (raw text), or null for a live run. */
  legacyFile: publicProcedure.input(RunId).query(({ ctx, input }) => legacyFileOfRun(ctx.tracker, input.id)),
  /** Edits tags and notes. */
  update: publicProcedure
    .input(RunId.extend(RunMetaSchema.shape))
    .mutation(
      ({ ctx, input: { id, ...meta } }) => updateRunMeta(ctx.tracker, id, meta) || notFound('run', id),
    ),
});
