/**
 * tRPC setup in three parts: context (see context.ts), init, procedures.
 * Every procedure validates its input with zod and calls one @kelly/tracking query function.
 */
import { PromotionRefusedError, RegistryNotFoundError } from '@kelly/registry';
import { RunNotFoundError } from '@kelly/tracking';
import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import { wireTransformer } from '../lib/wire';
import type { Context } from './context';

// ---------------------------------------------------------------- init
const t = initTRPC.context<Context>().create({ transformer: wireTransformer });

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

// ---------------------------------------------------------------- procedures
/**
 * Errors thrown by the query functions become client errors: an unknown run id or model → NOT_FOUND (HTTP 404),
 * a refused promotion → PRECONDITION_FAILED (412) with the failed gates, a zod error from a query function's
 * own schema → BAD_REQUEST naming the field.
 */
const mapQueryErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (cause instanceof RunNotFoundError || cause instanceof RegistryNotFoundError)
      throw new TRPCError({ code: 'NOT_FOUND', message: cause.message, cause });
    if (cause instanceof PromotionRefusedError)
      throw new TRPCError({ code: 'PRECONDITION_FAILED', message: cause.message, cause });
    if (cause instanceof ZodError) {
      const issue = cause.issues[0];
      throw new TRPCError({
        code: 'BAD_REQUEST',
        message: `${issue?.path.length ? issue.path.join('.') : 'input'}: ${issue?.message ?? 'invalid'}`,
        cause,
      });
    }
  }
  return result;
});

export const publicProcedure = t.procedure.use(mapQueryErrors);

/** For lookups that return null on a miss: NOT_FOUND naming what was missing. */
export function notFound(what: string, id: string | number): never {
  throw new TRPCError({ code: 'NOT_FOUND', message: `${what} not found: ${id}` });
}
