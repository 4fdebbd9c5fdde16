import { compareRuns, CompareRunsInputSchema } from '@kelly/tracking';
import { createTRPCRouter, publicProcedure } from '../trpc';

/** 2–10 runs: summaries, config diff, series downsampled on the server. */
const CompareInput = CompareRunsInputSchema.extend({ ids: CompareRunsInputSchema.shape.ids.min(2).max(10) });

export const compareRouter = createTRPCRouter({
  get: publicProcedure.input(CompareInput).query(({ ctx, input }) => compareRuns(ctx.tracker, input)),
});
