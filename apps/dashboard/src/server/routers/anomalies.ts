import { listAnomalies, ListAnomaliesInputSchema } from '@kelly/tracking';
import { createTRPCRouter, publicProcedure } from '../trpc';

export const anomaliesRouter = createTRPCRouter({
  /** Flagged runs grouped by rule (errors first), with counts. */
  byRule: publicProcedure
    .input(ListAnomaliesInputSchema.optional())
    .query(({ ctx, input }) => listAnomalies(ctx.tracker, input)),
});
