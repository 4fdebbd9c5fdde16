import { getModel, listModels, MODEL_ALIASES, previewGates, promote, rollback } from '@kelly/registry';
import { z } from 'zod';
import { createTRPCRouter, publicProcedure } from '../trpc';

const Promotion = z.object({ runId: z.string().min(1), alias: z.enum(MODEL_ALIASES) });

export const modelsRouter = createTRPCRouter({
  /** Registered models with version counts and where each alias points. */
  list: publicProcedure.query(({ ctx }) => listModels(ctx.tracker)),
  /** One model: aliases, versions with their gate reports, audit history. */
  get: publicProcedure
    .input(z.object({ name: z.string().min(1) }))
    .query(({ ctx, input }) => getModel(ctx.tracker, input.name)),
  /** The gate report promoting a run would get, without changing anything (shown before confirming). */
  preview: publicProcedure.input(Promotion).query(async ({ ctx, input }) =>
    previewGates(ctx.tracker, input.runId, input.alias, {
      validateModel: await ctx.loadValidator(),
      checkNative: await ctx.loadNativeCheck(),
    }),
  ),
  /** Promotes (gates enforced; `force` needs a `reason` and is recorded as forced). Publishes for production. */
  promote: publicProcedure
    .input(
      Promotion.extend({
        note: z.string().max(2000).optional(),
        force: z.boolean().optional(),
        reason: z.string().trim().min(1).max(2000).optional(),
        by: z.string().trim().min(1).max(100).optional(),
      }).refine((p) => !p.force || p.reason, {
        path: ['reason'],
        message: 'a forced promotion must say why (force needs a reason)',
      }),
    )
    .mutation(async ({ ctx, input }) =>
      promote(ctx.tracker, {
        ...input,
        validateModel: await ctx.loadValidator(),
        checkNative: await ctx.loadNativeCheck(),
      }),
    ),
  /**
   * Re-points an alias to the version it had before its current one (as `kelly rollback`); for production the
   * earlier file and registry entry are republished byte for byte where the alias was last published.
   */
  rollback: publicProcedure
    .input(
      z.object({
        model: z.string().min(1),
        alias: z.enum(MODEL_ALIASES),
        reason: z.string().trim().min(1).max(2000).optional(),
        by: z.string().trim().min(1).max(100).optional(),
      }),
    )
    .mutation(({ ctx, input }) => rollback(ctx.tracker, input)),
});
