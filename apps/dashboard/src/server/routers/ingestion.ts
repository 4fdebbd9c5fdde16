import { getIngestFile, listIngestFiles, ListIngestFilesSchema, listWatchers } from '@kelly/legacy';
import { z } from 'zod';
import { createTRPCRouter, notFound, publicProcedure } from '../trpc';

export const ingestionRouter = createTRPCRouter({
  /** Legacy files with outcome and reason (newest first, cursor pages) and totals per outcome. */
  files: publicProcedure
    .input(ListIngestFilesSchema)
    .query(({ ctx, input }) => listIngestFiles(ctx.tracker, input)),
  /** Watchers with their state (running / stale / stopped) and last scan. */
  watchers: publicProcedure.query(({ ctx }) => listWatchers(ctx.tracker)),
  /** Raw text and earlier versions of one file. */
  file: publicProcedure
    .input(z.object({ id: z.number().int() }))
    .query(({ ctx, input }) => getIngestFile(ctx.tracker, input.id) ?? notFound('ingest record', input.id)),
});
