/**
 * tRPC setup in three parts: context (see context.ts), init, procedures.
 * Every procedure validates its input with zod and calls one @kelly/tracking query function.
 */
import { PromotionRefusedError, RegistryConflictError, RegistryNotFoundError } from '@kelly/registry';
import { RunNotFoundError } from '@kelly/tracking';
import { initTRPC, TRPCError } from '@trpc/server';
import { wireTransformer } from '../lib/wire';
import type { Context } from './context';

// ---------------------------------------------------------------- init
/** A message that starts with a field path (`runId: …`, `ids.3: …`, `input: …`). */
const NAMES_A_FIELD = /^[\w$]+(\.[\w$]+)*: /;

interface ZodLikeIssue {
  path: PropertyKey[];
  message: string;
}

/**
 * The first issue of a zod error, recognised by shape: the libs' zod and the dashboard's can be separate module
 * instances in the server bundle, so `instanceof ZodError` is not reliable there.
 */
function zodIssue(e: unknown): ZodLikeIssue | null {
  // zod 4's errors are not `Error` instances: recognised by name and issues
  if (typeof e !== 'object' || e === null || (e as { name?: unknown }).name !== 'ZodError') return null;
  const first = firstIssue((e as { issues?: unknown }).issues) ?? firstIssue(issuesInMessage(e));
  return first;
}

function firstIssue(issues: unknown): ZodLikeIssue | null {
  const first: unknown = Array.isArray(issues) ? issues[0] : undefined;
  return first && typeof first === 'object' && 'path' in first && 'message' in first
    ? (first as ZodLikeIssue)
    : null;
}

/**
 * tRPC wraps a thrown non-`Error` by copying its own enumerable properties onto an `Error`; zod 4 keeps `issues`
 * non-enumerable, so only `name` and `message` survive, and a zod error's message is its issues as JSON.
 */
function issuesInMessage(e: object): unknown {
  const message = (e as { message?: unknown }).message;
  if (typeof message !== 'string') return undefined;
  try {
    return JSON.parse(message) as unknown;
  } catch {
    return undefined;
  }
}

/** `path: message` of a zod issue; the whole input is `input`. */
const issueText = (issue: ZodLikeIssue) =>
  `${issue.path.length ? issue.path.map(String).join('.') : 'input'}: ${issue.message}`;

const t = initTRPC.context<Context>().create({
  transformer: wireTransformer,
  /**
   * Every refusal of the input names its field: tRPC's own (a body or `input` that is not JSON, too deeply
   * nested for the wire format) says only what the parser saw, so it is prefixed with `input: `.
   */
  errorFormatter: ({ shape, error }) =>
    (error.code === 'PARSE_ERROR' || error.code === 'BAD_REQUEST') && !NAMES_A_FIELD.test(shape.message)
      ? { ...shape, message: `input: ${shape.message}` }
      : shape,
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

// ---------------------------------------------------------------- procedures
/**
 * Errors thrown by the query functions become client errors: an unknown run id or model → NOT_FOUND (HTTP 404),
 * a rollback to the version already in place → CONFLICT (409),
 * a refused promotion → PRECONDITION_FAILED (412) with the failed gates, a zod error from a query function's
 * own schema → BAD_REQUEST naming the field.
 */
const mapQueryErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (cause instanceof RunNotFoundError || cause instanceof RegistryNotFoundError)
      throw new TRPCError({ code: 'NOT_FOUND', message: cause.message, cause });
    if (cause instanceof RegistryConflictError)
      throw new TRPCError({ code: 'CONFLICT', message: cause.message, cause });
    if (cause instanceof PromotionRefusedError)
      throw new TRPCError({ code: 'PRECONDITION_FAILED', message: cause.message, cause });
    const issue = zodIssue(cause);
    if (issue) throw new TRPCError({ code: 'BAD_REQUEST', message: issueText(issue), cause });
  }
  return result;
});

export const publicProcedure = t.procedure.use(mapQueryErrors);

/** For lookups that return null on a miss: NOT_FOUND naming what was missing. */
export function notFound(what: string, id: string | number): never {
  throw new TRPCError({ code: 'NOT_FOUND', message: `${what} not found: ${id}` });
}
